package io.shuttlebridge.core.capture;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.schema.Column;
import io.shuttlebridge.core.schema.Table;
import java.util.List;
import java.util.Set;

/**
 * A table registered for sync: its discovered shape and the sync settings that apply to it.
 *
 * @param id small stable number used in the feed instead of the name
 * @param table the discovered table
 * @param policy conflict policy
 * @param excluded columns that are not replicated (local-only or auto-maintained, e.g. updated_at)
 * @param scopeColumn the column whose value is the row's scope, or null
 */
public record SyncedTable(int id, Table table, ConflictPolicy policy, Set<String> excluded, String scopeColumn) {
    public SyncedTable {
        excluded = Set.copyOf(excluded);
    }

    public String name() {
        return table.name();
    }

    public List<String> key() {
        return table.primaryKey();
    }

    /** Columns that travel between replicas, in declaration order (key columns included). */
    public List<String> replicatedColumns() {
        return table.columns().stream().map(Column::name).filter(c -> !excluded.contains(c)).toList();
    }

    /** Replicated columns that are not part of the primary key. */
    public List<String> valueColumns() {
        return table.columns().stream()
                .filter(c -> !c.inPrimaryKey() && !excluded.contains(c.name()))
                .map(Column::name)
                .toList();
    }
}
