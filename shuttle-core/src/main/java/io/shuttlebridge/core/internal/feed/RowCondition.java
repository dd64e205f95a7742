package io.shuttlebridge.core.internal.feed;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Which rows of one table a reader may have: a SQL boolean expression over the table's own columns
 * (evaluated as {@code SELECT ... FROM table WHERE sql}, so it may use sub-selects on any table), with
 * the values of its {@code ?} parameters in order; {@link #ALL} for every row.
 */
public record RowCondition(String sql, List<Object> args) {
    public static final RowCondition ALL = new RowCondition(null, List.of());

    public RowCondition {
        args = Collections.unmodifiableList(new ArrayList<>(args)); // a claim may be bound as null
        if (sql == null && !args.isEmpty()) {
            throw new IllegalArgumentException("a condition without SQL takes no arguments");
        }
    }

    /** Whether every row qualifies. */
    public boolean all() {
        return sql == null;
    }
}
