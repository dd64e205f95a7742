package io.shuttlebridge.server.rules;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What subjects may read and write of one table (DESIGN §9).
 *
 * @param table the hub table
 * @param read which rows a device holds
 * @param write which rows a device may change (as stored before and after the change)
 * @param hiddenColumns columns never sent to devices and never accepted from them
 * @param line where the table's rules start in the file
 */
public record TableRule(String table, Predicate read, Predicate write, Set<String> hiddenColumns, int line) {
    public TableRule {
        hiddenColumns = Collections.unmodifiableSet(new LinkedHashSet<>(hiddenColumns));
    }

    /** The rule of a table the file does not list: nothing read, nothing written. */
    public static TableRule none(String table) {
        return new TableRule(table, Predicate.NONE, Predicate.NONE, Set.of(), 0);
    }
}
