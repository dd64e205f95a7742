package io.shuttlebridge.bridge.internal.target;

import java.util.List;

/**
 * What Bridge needs to know about a target table.
 *
 * @param uniqueKeys the primary key and every unique index, as column lists
 */
public record TargetTable(
        String name,
        List<String> columns,
        List<String> primaryKey,
        List<List<String>> uniqueKeys,
        List<ForeignKey> foreignKeys) {

    /** A foreign key of the table: {@code columns} reference {@code parentColumns} of {@code parentTable}. */
    public record ForeignKey(String name, List<String> columns, String parentTable, List<String> parentColumns) {
        public String describe() {
            return "(" + String.join(", ", columns) + ") -> " + parentTable + "(" + String.join(", ", parentColumns)
                    + ")";
        }
    }

    public boolean hasColumn(String column) {
        return columns.stream().anyMatch(c -> c.equalsIgnoreCase(column));
    }

    /** True when some unique key consists of exactly these columns (in any order). */
    public boolean isUnique(List<String> keyColumns) {
        return uniqueKeys.stream()
                .anyMatch(u -> u.size() == keyColumns.size()
                        && u.stream().allMatch(c -> keyColumns.stream().anyMatch(k -> k.equalsIgnoreCase(c))));
    }
}
