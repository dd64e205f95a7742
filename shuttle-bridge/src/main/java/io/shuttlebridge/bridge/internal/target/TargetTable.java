package io.shuttlebridge.bridge.internal.target;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.internal.schema.Column;
import java.util.List;

/**
 * What Bridge needs to know about a target table.
 *
 * @param columns the columns with their types, as the target's dialect reads them
 * @param uniqueKeys the primary key and every unique index, as column lists
 */
public record TargetTable(
        String name,
        List<Column> columns,
        List<String> primaryKey,
        List<List<String>> uniqueKeys,
        List<ForeignKey> foreignKeys) {

    /**
     * A foreign key of the table: {@code columns} reference {@code parentColumns} of {@code parentTable}.
     *
     * @param declaredDeferrable whether the constraint is declared {@code DEFERRABLE}
     */
    public record ForeignKey(
            List<String> columns, String parentTable, List<String> parentColumns, boolean declaredDeferrable) {
        public String describe() {
            return "(" + String.join(", ", columns) + ") -> " + parentTable + "(" + String.join(", ", parentColumns)
                    + ")";
        }
    }

    public boolean hasColumn(String column) {
        return columns.stream().anyMatch(c -> c.name().equalsIgnoreCase(column));
    }

    public List<String> columnNames() {
        return columns.stream().map(Column::name).toList();
    }

    /** The column of this name (matched ignoring case, as mappings name them). */
    public Column column(String name) {
        return columns.stream()
                .filter(c -> c.name().equalsIgnoreCase(name))
                .findFirst()
                .orElseThrow(() -> new ShuttleException(
                        ErrorCode.UNSUPPORTED_SCHEMA,
                        "target table " + this.name + " has no column '" + name + "' (columns: "
                                + String.join(", ", columnNames()) + ")"));
    }

    /** The columns of these names, in the order given. */
    public Column[] columns(List<String> names) {
        return names.stream().map(this::column).toArray(Column[]::new);
    }

    /** True when some unique key consists of exactly these columns (in any order). */
    public boolean isUnique(List<String> keyColumns) {
        return uniqueKeys.stream()
                .anyMatch(u -> u.size() == keyColumns.size()
                        && u.stream().allMatch(c -> keyColumns.stream().anyMatch(k -> k.equalsIgnoreCase(c))));
    }
}
