package io.shuttlebridge.core.internal.schema;

import java.util.List;

/**
 * A foreign key: {@code childColumns} of {@code childTable} reference {@code parentColumns} of
 * {@code parentTable}. Composite keys list their columns in key order.
 */
public record ForeignKey(String childTable, List<String> childColumns, String parentTable, List<String> parentColumns) {
    public ForeignKey {
        childColumns = List.copyOf(childColumns);
        parentColumns = List.copyOf(parentColumns);
        if (childColumns.isEmpty() || childColumns.size() != parentColumns.size()) {
            throw new IllegalArgumentException("foreign key from " + childTable + " to " + parentTable
                    + " needs the same non-zero number of columns on both sides, found "
                    + childColumns + " -> " + parentColumns);
        }
    }

    public boolean selfReferencing() {
        return childTable.equals(parentTable);
    }
}
