package io.shuttlebridge.server.rules;

import java.util.List;

/**
 * A rule's condition on a row (DESIGN §9): everything, nothing, or a SQL boolean expression over
 * the table's columns that the hub's database evaluates, with claims bound as parameters.
 */
public sealed interface Predicate {
    /** Every row. */
    record All() implements Predicate {}

    /** No row. */
    record None() implements Predicate {}

    /**
     * A SQL boolean expression.
     *
     * @param text the expression as written
     * @param claims the claims it names ({@code :sub}, {@code :tenant}, ...), in order of first use
     * @param line where it is written in its rules file
     */
    record Sql(String text, List<String> claims, int line) implements Predicate {
        public Sql {
            claims = List.copyOf(claims);
        }
    }

    Predicate ALL = new All();
    Predicate NONE = new None();
}
