package io.shuttlebridge.core.internal.protocol;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.schema.ColumnDefaults;
import io.shuttlebridge.core.internal.schema.Table;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code GET /v1/schema} describes: the hub's identity and the tables it syncs, with columns,
 * declared types, keys, foreign keys and sync settings, enough for a new device to create them.
 *
 * @param hubNode the hub's node uuid (devices keep their cursors under it)
 * @param dialect the hub's database product ({@code sqlite}, ...): how to read the declared types
 * @param tables synced tables in registration order
 * @param version the version of the hub's synced schema ({@code schemaVersion}; 0 when the hub did not say)
 */
public record HubSchema(String hubNode, String dialect, List<TableSpec> tables, long version) {
    public HubSchema {
        tables = List.copyOf(tables);
    }

    public HubSchema(String hubNode, String dialect, List<TableSpec> tables) {
        this(hubNode, dialect, tables, 0);
    }

    /**
     * One synced table as the hub has it.
     *
     * @param generation how many times the hub took the table again after a destructive change of it
     *     ({@code shuttle schema apply --accept-destructive}); a device that holds another generation clones
     *     the table again. 0 for a table never taken again
     * @param defaults the columns' defaults that are safe constants ({@link ColumnDefaults}), by column name:
     *     a device that creates the table or adds the column gives it the same default
     * @param unfilled the columns this hub, itself a device of another hub (a store hub of a tier), added
     *     and has not taken its own hub's values of yet: its rows hold NULL there for now, so a device of it
     *     keeps them noted unfilled and takes them again once the hub has them
     */
    public record TableSpec(
            Table table,
            ConflictPolicy policy,
            Set<String> excluded,
            String scopeColumn,
            long generation,
            Map<String, Object> defaults,
            Set<String> unfilled) {
        public TableSpec {
            excluded = Set.copyOf(excluded);
            defaults = Map.copyOf(defaults);
            unfilled = Set.copyOf(unfilled);
        }

        public TableSpec(
                Table table,
                ConflictPolicy policy,
                Set<String> excluded,
                String scopeColumn,
                long generation,
                Map<String, Object> defaults) {
            this(table, policy, excluded, scopeColumn, generation, defaults, Set.of());
        }

        public TableSpec(
                Table table, ConflictPolicy policy, Set<String> excluded, String scopeColumn, long generation) {
            this(table, policy, excluded, scopeColumn, generation, Map.of());
        }

        public TableSpec(Table table, ConflictPolicy policy, Set<String> excluded, String scopeColumn) {
            this(table, policy, excluded, scopeColumn, 0);
        }

        public String name() {
            return table.name();
        }
    }

    /** This schema with the columns of each table the hub has not filled yet ({@link TableSpec#unfilled()}). */
    public HubSchema withUnfilled(Map<String, Set<String>> unfilled) {
        if (unfilled.isEmpty() && tables.stream().allMatch(t -> t.unfilled().isEmpty())) {
            return this;
        }
        return new HubSchema(
                hubNode,
                dialect,
                tables.stream()
                        .map(t -> new TableSpec(
                                t.table(),
                                t.policy(),
                                t.excluded(),
                                t.scopeColumn(),
                                t.generation(),
                                t.defaults(),
                                unfilled.getOrDefault(t.name(), Set.of())))
                        .toList(),
                version);
    }

    public static HubSchema of(SyncSchema schema, String dialect) {
        return of(schema, dialect, Map.of());
    }

    /** The schema, with the generation of each table taken again after a destructive change. */
    public static HubSchema of(SyncSchema schema, String dialect, Map<String, Long> generations) {
        return of(schema, dialect, generations, Map.of());
    }

    /**
     * The schema, with the generation of each table taken again after a destructive change and the safe
     * constant defaults of each table's columns ({@link ColumnDefaults}, by table, then column).
     */
    public static HubSchema of(
            SyncSchema schema,
            String dialect,
            Map<String, Long> generations,
            Map<String, Map<String, Object>> defaults) {
        return new HubSchema(
                schema.nodeUuid(),
                dialect,
                schema.tables().stream()
                        .map((SyncedTable t) -> new TableSpec(
                                t.table(),
                                t.policy(),
                                t.excluded(),
                                t.scopeColumn(),
                                generations.getOrDefault(t.name(), 0L),
                                defaults.getOrDefault(t.name(), Map.of())))
                        .toList(),
                schema.version());
    }
}
