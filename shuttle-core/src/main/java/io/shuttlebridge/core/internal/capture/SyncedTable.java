package io.shuttlebridge.core.internal.capture;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.internal.schema.Column;
import io.shuttlebridge.core.internal.schema.Table;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A table registered for sync: its discovered shape and the sync settings that apply to it.
 * Immutable; the column lists the hot paths ask for are computed once.
 */
public final class SyncedTable {
    private final int id;
    private final Table table;
    private final ConflictPolicy policy;
    private final Set<String> excluded;
    private final String scopeColumn;
    private final List<String> key;
    private final List<String> replicated;
    private final List<String> valueColumns;

    /**
     * @param id small stable number used in the feed instead of the name
     * @param table the discovered table
     * @param policy conflict policy
     * @param excluded columns that are not replicated (local-only or auto-maintained, e.g. updated_at)
     * @param scopeColumn the column whose value is the row's scope, or null
     */
    public SyncedTable(int id, Table table, ConflictPolicy policy, Set<String> excluded, String scopeColumn) {
        this.id = id;
        this.table = Objects.requireNonNull(table, "table");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.excluded = Set.copyOf(excluded);
        this.scopeColumn = scopeColumn;
        // column names interned as the JSON reader's field names are: a change's values are found by identity
        this.key = table.primaryKey().stream().map(String::intern).toList();
        this.replicated = table.columns().stream()
                .map(Column::name)
                .filter(c -> !this.excluded.contains(c))
                .map(String::intern)
                .toList();
        this.valueColumns = table.columns().stream()
                .filter(c -> !c.inPrimaryKey() && !this.excluded.contains(c.name()))
                .map(Column::name)
                .map(String::intern)
                .toList();
    }

    public int id() {
        return id;
    }

    public Table table() {
        return table;
    }

    public ConflictPolicy policy() {
        return policy;
    }

    public Set<String> excluded() {
        return excluded;
    }

    public String scopeColumn() {
        return scopeColumn;
    }

    public String name() {
        return table.name();
    }

    /** Primary key columns in key order. */
    public List<String> key() {
        return key;
    }

    /** Columns that travel between replicas, in declaration order (key columns included). */
    public List<String> replicatedColumns() {
        return replicated;
    }

    /** Replicated columns that are not part of the primary key. */
    public List<String> valueColumns() {
        return valueColumns;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SyncedTable other
                && id == other.id
                && table.equals(other.table)
                && policy == other.policy
                && excluded.equals(other.excluded)
                && Objects.equals(scopeColumn, other.scopeColumn);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) { // computed once: tables are map keys on every page an apply or a read goes through
            h = Objects.hash(id, table.name(), policy);
            hash = h;
        }
        return h;
    }

    private int hash;

    @Override
    public String toString() {
        return "SyncedTable[" + id + " " + table.name() + " " + policy + "]";
    }
}
