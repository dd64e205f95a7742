package io.shuttlebridge.server.internal.rules;

import io.shuttlebridge.server.rules.Predicate;
import java.util.List;
import java.util.Map;

/** A predicate as a SQL condition for a subject's claims, ready for a prepared statement. */
public final class RuleSql {
    private RuleSql() {}

    /** The condition and its arguments; {@code all} and {@code none} need none. */
    public static NamedParameters.Bound where(Predicate p, Map<String, Object> claims) {
        return switch (p) {
            case Predicate.All a -> new NamedParameters.Bound("1=1", List.of());
            case Predicate.None n -> new NamedParameters.Bound("1=0", List.of());
            case Predicate.Sql s -> {
                NamedParameters.Bound b = NamedParameters.parse(s.text()).bind(claims);
                yield new NamedParameters.Bound("(" + b.sql() + ")", b.args());
            }
        };
    }

    /** A table name quoted for both SQLite and PostgreSQL. */
    public static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
