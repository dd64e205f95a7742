package io.shuttlebridge.testkit.internal;

import io.shuttlebridge.core.internal.schema.Column;
import io.shuttlebridge.core.internal.schema.ForeignKey;
import io.shuttlebridge.core.internal.schema.Table;
import io.shuttlebridge.testkit.SimulationResult.WriteKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Random application writes over any schema, made from what discovery says of it: inserts (or
 * upserts) of rows whose keys come from a small pool, so replicas collide; updates of a few
 * columns; deletes. Values follow the columns' declared types; a foreign key takes the key of a
 * row that exists on that replica (or NULL where allowed), so every write is one the application
 * could make with foreign keys on; a delete takes the rows below it first ({@link Cascade}). A
 * write the schema's own constraints refuse (a CHECK, a UNIQUE) changes nothing and is counted.
 * Every choice comes from the one {@link Random} given.
 */
public final class Workload {
    /** One write: what kind it was, and whether the database refused it. */
    public record Write(WriteKind kind, boolean refused) {}

    private SchemaModel schema;
    private final Random random;
    private final Values values;
    private final boolean perNode;

    public Workload(SchemaModel schema, Random random) {
        this(schema, random, false);
    }

    /**
     * @param perNode each write is made over the synced tables as the node has them then (its schema may
     *     have gained columns and tables since the start), rather than over {@code schema}
     */
    public Workload(SchemaModel schema, Random random, boolean perNode) {
        this.schema = schema;
        this.random = random;
        this.values = new Values(random);
        this.perNode = perNode;
    }

    /** Makes one random write on {@code node}; {@code step} makes the written values distinct. */
    public Write write(Node node, int step) {
        if (perNode) {
            schema = SchemaModel.read(
                    node.database(),
                    io.shuttlebridge.core.internal.sync.EngineAccess.context(node.engine()).schema().tables().stream()
                            .map(t -> t.name())
                            .toList());
        }
        List<String> names = schema.names();
        String table = names.get(random.nextInt(names.size()));
        int dice = random.nextInt(10);
        if (dice < 2) {
            return delete(node, schema.table(table));
        }
        if (dice < 6) {
            return insert(node, schema.table(table), step, new HashSet<>());
        }
        return update(node, schema.table(table), step);
    }

    private Write insert(Node node, Table t, int step, Set<String> tried) {
        tried.add(t.name());
        Map<String, Object> row = new LinkedHashMap<>();
        List<ForeignKey> selfReferences = new ArrayList<>();
        for (ForeignKey fk : t.foreignKeys()) {
            if (fk.childColumns().stream().anyMatch(row::containsKey)) {
                continue; // a column in two foreign keys takes its value from the first
            }
            if (fk.selfReferencing()) {
                selfReferences.add(fk);
                continue;
            }
            List<List<Object>> parents = keys(node, fk);
            if (parents.isEmpty() && !optional(t, fk)) {
                Table parent = schema.table(fk.parentTable());
                return parent == null || tried.contains(parent.name())
                        ? new Write(WriteKind.INSERT, true)
                        : insert(node, parent, step, tried); // the parent first: a later write may add the child
            }
            put(row, fk.childColumns(), reference(t, fk, parents));
        }
        for (Column c : t.columns()) {
            if (c.inPrimaryKey() && !row.containsKey(c.name())) {
                row.put(c.name(), values.key(t, c, schema.depth(t.name())));
            }
        }
        for (ForeignKey fk : selfReferences) {
            List<List<Object>> parents = keys(node, fk);
            if (parents.isEmpty() && !optional(t, fk)) {
                parents = List.of(RowValues.values(row, fk.parentColumns())); // the first row refers to itself
            }
            put(row, fk.childColumns(), reference(t, fk, parents));
        }
        for (Column c : t.columns()) {
            if (!row.containsKey(c.name())) {
                row.put(c.name(), values.value(c, step));
            }
        }
        List<String> key = t.primaryKey();
        List<String> others =
                row.keySet().stream().filter(c -> !key.contains(c)).toList();
        List<String> updated = others.isEmpty() || random.nextInt(3) == 0 ? List.of() : some(others);
        String sql = "INSERT INTO " + SqlText.quote(t.name()) + " (" + SqlText.columns(List.copyOf(row.keySet()))
                + ") VALUES ("
                + String.join(", ", row.values().stream().map(SqlText::literal).toList()) + ")"
                + " ON CONFLICT (" + SqlText.columns(key) + ") DO "
                + (updated.isEmpty()
                        ? "NOTHING"
                        : "UPDATE SET "
                                + String.join(
                                        ", ",
                                        updated.stream()
                                                .map(c -> SqlText.quote(c) + " = excluded." + SqlText.quote(c))
                                                .toList()));
        return new Write(WriteKind.INSERT, !node.executeUnlessRefused(sql));
    }

    private Write update(Node node, Table t, int step) {
        List<Column> others =
                t.columns().stream().filter(c -> !c.inPrimaryKey()).toList();
        if (others.isEmpty()) {
            return insert(node, t, step, new HashSet<>()); // nothing to update but the key itself
        }
        List<Object> target = target(node, t);
        Map<String, Object> set = new LinkedHashMap<>();
        for (Column c : some(others)) {
            if (set.containsKey(c.name())) {
                continue;
            }
            ForeignKey fk = t.foreignKeys().stream()
                    .filter(f -> f.childColumns().contains(c.name()))
                    .findFirst()
                    .orElse(null);
            if (fk == null) {
                set.put(c.name(), values.value(c, step));
                continue;
            }
            if (fk.childColumns().stream().anyMatch(t.primaryKey()::contains)) {
                continue; // part of the key: a row does not move
            }
            List<List<Object>> parents = keys(node, fk);
            if (!parents.isEmpty() || optional(t, fk)) {
                put(set, fk.childColumns(), reference(t, fk, parents));
            }
        }
        if (!set.isEmpty()) {
            List<String> assignments = new ArrayList<>();
            set.forEach((c, v) -> assignments.add(SqlText.quote(c) + " = " + SqlText.literal(v)));
            String sql = "UPDATE " + SqlText.quote(t.name()) + " SET " + String.join(", ", assignments) + " WHERE "
                    + SqlText.where(t.primaryKey(), target);
            return new Write(WriteKind.UPDATE, !node.executeUnlessRefused(sql));
        }
        return new Write(WriteKind.UPDATE, false);
    }

    private Write delete(Node node, Table t) {
        String[] statements = Cascade.delete(schema, node, t.name(), target(node, t));
        return new Write(WriteKind.DELETE, !node.executeUnlessRefused(statements));
    }

    /** The key of a row to update or delete: mostly one that exists here, now and then one from the pool (that may not). */
    private List<Object> target(Node node, Table t) {
        List<List<Object>> existing = keys(node, t, null);
        if (!existing.isEmpty() && random.nextInt(4) != 0) {
            return existing.get(random.nextInt(existing.size()));
        }
        List<Object> key = new ArrayList<>();
        for (String col : t.primaryKey()) {
            key.add(RowValues.normalize(values.key(t, t.column(col).orElseThrow(), schema.depth(t.name()))));
        }
        return key;
    }

    /** The referenced values for a foreign key: a random parent, or NULLs now and then (always, when there is no parent) where allowed. */
    private List<Object> reference(Table t, ForeignKey fk, List<List<Object>> parents) {
        if (parents.isEmpty() || (optional(t, fk) && random.nextInt(4) == 0)) {
            return Collections.nCopies(fk.childColumns().size(), null);
        }
        return parents.get(random.nextInt(parents.size()));
    }

    /** One to three distinct elements of {@code from}, at random. */
    private <T> List<T> some(List<T> from) {
        List<T> pool = new ArrayList<>(from);
        int n = 1 + random.nextInt(Math.min(3, pool.size()));
        List<T> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(pool.remove(random.nextInt(pool.size())));
        }
        return out;
    }

    private static void put(Map<String, Object> row, List<String> columns, List<Object> values) {
        for (int i = 0; i < columns.size(); i++) {
            row.put(columns.get(i), values.get(i));
        }
    }

    /** Whether a row may leave the reference empty: every column nullable (none in the primary key). */
    static boolean optional(Table t, ForeignKey fk) {
        return fk.childColumns().stream()
                .allMatch(c -> t.column(c).map(Column::nullable).orElse(false));
    }

    /** The referenced keys that exist on {@code node} for a foreign key, in order. */
    private static List<List<Object>> keys(Node node, ForeignKey fk) {
        String cols = SqlText.columns(fk.parentColumns());
        List<List<Object>> out = new ArrayList<>();
        for (Map<String, Object> r : node.query(
                "SELECT DISTINCT " + cols + " FROM " + SqlText.quote(fk.parentTable()) + " ORDER BY " + cols)) {
            List<Object> v = RowValues.values(r, fk.parentColumns());
            if (!v.contains(null)) {
                out.add(v);
            }
        }
        return out;
    }

    /** Primary keys of the rows of {@code t} on {@code node} matching {@code where} (all rows when null), in key order. */
    static List<List<Object>> keys(Node node, Table t, String where) {
        String cols = SqlText.columns(t.primaryKey());
        List<List<Object>> out = new ArrayList<>();
        for (Map<String, Object> r : node.query("SELECT " + cols + " FROM " + SqlText.quote(t.name())
                + (where == null ? "" : " WHERE " + where) + " ORDER BY " + cols)) {
            out.add(RowValues.values(r, t.primaryKey()));
        }
        return out;
    }
}
