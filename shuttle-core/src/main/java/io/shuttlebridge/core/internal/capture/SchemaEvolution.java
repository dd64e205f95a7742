package io.shuttlebridge.core.internal.capture;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.capture.SchemaChanges;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.MetaKeys;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.internal.schema.Column;
import io.shuttlebridge.core.internal.schema.Table;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Compares a synced database's tables with the shape capture last took ({@link CapturedShape}) and takes
 * the additive changes: a new nullable or defaulted column (its table's triggers are installed again),
 * a new table with a primary key when capture covers every table ({@value #SCOPE_KEY} {@code all}: it is
 * registered under LWW, its triggers installed and its rows backfilled). A destructive change (a table or
 * column dropped or renamed, a type or key changed, a new NOT NULL column without a default) is refused:
 * that table keeps the shape it was captured with, and the refusal says what to do. Internal.
 */
public final class SchemaEvolution {
    /** {@code _shuttle_meta} key: {@code all} when capture covers every table (new ones included), else {@code listed}. */
    public static final String SCOPE_KEY = "capture_scope";

    /** The bookkeeping tables of Flyway and Liquibase: a new one is not a table to sync. */
    static final Set<String> MIGRATION_TOOL_TABLES =
            Set.of("flyway_schema_history", "databasechangelog", "databasechangeloglock");

    /** For {@link #apply}: the schema in force before is not known (any change made counts). */
    public static final long UNKNOWN = Long.MIN_VALUE;

    private SchemaEvolution() {}

    /** What {@link #plan} found, and the schema that takes the safe changes. */
    public record Plan(
            SyncSchema schema,
            List<SchemaChanges.Item> items,
            Set<String> changed,
            List<Table> added,
            boolean recorded) {
        /** Whether applying it would change nothing in the database. */
        boolean nothingToDo() {
            return recorded && changed.isEmpty() && added.isEmpty();
        }
    }

    /** What {@link #apply} did: the schema in force afterwards, the changes, and the catalog stamp it was taken at. */
    public record Outcome(SyncSchema schema, SchemaChanges changes, String stamp) {}

    /**
     * Records, as capture installs triggers, the shape it took and whether it covers every table ({@code
     * allTables}: an enable that named no tables; once {@code all}, naming tables later adds to them).
     */
    public static void captured(Connection c, SyncSchema schema, Dialect dialect, boolean allTables)
            throws SQLException {
        takeShape(c, dialect, schema);
        String scope = MetaKeys.get(c, SCOPE_KEY).orElse(null);
        if (scope == null) {
            MetaKeys.put(c, SCOPE_KEY, allTables ? "all" : "listed");
        } else if (allTables && !scope.equals("all")) {
            Jdbc.update(c, "UPDATE _shuttle_meta SET value = 'all' WHERE key = ?", SCOPE_KEY);
        }
    }

    /**
     * Records {@code schema} as the shape capture took, its triggers installed: the columns it adds to a
     * FIELD_LWW table are stamped as unwritten in the rows written before ({@link UnwrittenColumns}).
     */
    private static void takeShape(Connection c, Dialect dialect, SyncSchema schema) throws SQLException {
        UnwrittenColumns.stamp(c, dialect, schema, CapturedShape.read(c));
        CapturedShape.write(c, schema, dialect.name());
    }

    /** What changed since capture, without changing anything. */
    public static SchemaChanges check(ShuttleDatabase db) {
        Dialect dialect = Dialects.of(db);
        return db.read(c -> {
            Plan p = plan(c, dialect);
            return new SchemaChanges(p.schema().version(), p.items(), false);
        });
    }

    /**
     * Takes the safe changes in one transaction (registering new tables, installing their triggers and
     * those of changed tables again, recording the captured shape), then backfills the new tables' rows.
     */
    public static Outcome apply(ShuttleDatabase db, long versionBefore) {
        Dialect dialect = Dialects.of(db);
        Object[] read = db.read(c -> new Object[] {plan(c, dialect), CatalogStamp.read(c, dialect)});
        Plan first = (Plan) read[0];
        if (first.nothingToDo()) {
            return new Outcome(
                    first.schema(),
                    new SchemaChanges(
                            first.schema().version(),
                            first.items(),
                            versionBefore != UNKNOWN && first.schema().version() != versionBefore),
                    (String) read[1]);
        }
        Object[] result = db.transaction(c -> {
            Plan p = plan(c, dialect);
            SyncSchema schema = p.schema();
            if (!p.added().isEmpty()) {
                for (Table t : p.added()) {
                    Jdbc.update(
                            c,
                            "INSERT INTO _shuttle_tables (id, name, policy, scope_column, excluded)"
                                    + " VALUES ((SELECT coalesce(max(id), 0) + 1 FROM _shuttle_tables), ?, ?, NULL, ?)",
                            t.name(),
                            ConflictPolicy.LWW.name(),
                            SyncSchema.encodeColumns(Set.of()));
                }
                schema = plan(c, dialect).schema();
            }
            Set<String> install = new HashSet<>(p.changed());
            p.added().forEach(t -> install.add(t.name()));
            for (SyncedTable t : schema.tables()) {
                if (install.contains(t.name())) {
                    for (String sql : dialect.capture().installTriggers(t)) {
                        Jdbc.execute(c, sql);
                    }
                }
            }
            takeShape(c, dialect, schema);
            return new Object[] {p, schema, CatalogStamp.read(c, dialect)};
        });
        Plan p = (Plan) result[0];
        SyncSchema schema = (SyncSchema) result[1];
        for (Table t : p.added()) {
            new Backfill(db, schema.require(t.name())).run(ProgressListener.NONE);
        }
        return new Outcome(
                schema,
                new SchemaChanges(
                        schema.version(), p.items(), versionBefore == UNKNOWN || schema.version() != versionBefore),
                (String) result[2]);
    }

    /** The registry against the tables as they are now. */
    public static Plan plan(Connection c, Dialect dialect) throws SQLException {
        return plan(c, dialect, Set.of());
    }

    /**
     * Takes {@code table} again at the shape it has now, whatever changed in it (a destructive change
     * the user accepted): its captured shape and triggers follow the table (when its key changed, its
     * feed entries, which name rows by the old key, are replaced by a backfill of its rows), and its
     * generation moves, so that devices clone it again (their writes to it not pushed yet are kept as
     * rejected writes). Other tables' safe changes are taken as {@link #apply} takes them.
     */
    public static Outcome accept(ShuttleDatabase db, String table) {
        Dialect dialect = Dialects.of(db);
        Object[] result = db.transaction(c -> {
            Plan before = plan(c, dialect);
            String name = before.schema()
                    .table(table)
                    .map(SyncedTable::name)
                    .orElseThrow(() -> new ShuttleException(
                            ErrorCode.INVALID_ARGUMENT,
                            "table \"" + table + "\" is not synced here (synced: "
                                    + before.schema().tables().stream()
                                            .map(SyncedTable::name)
                                            .toList()
                                    + ")"));
            if (!dialect.hasTable(c, name)) {
                throw new ShuttleException(
                        ErrorCode.INVALID_ARGUMENT,
                        "table \"" + name + "\" was dropped or renamed: there is no shape to take again. Create"
                                + " it again, or stop syncing it (see 'Schema changes' in the README)");
            }
            if (before.items().stream().noneMatch(i -> i.table().equals(name) && !i.safe())) {
                throw new ShuttleException(
                        ErrorCode.INVALID_ARGUMENT,
                        "table \"" + name + "\" has no destructive change to accept ('shuttle schema check' lists"
                                + " them); 'shuttle schema apply' takes additive changes");
            }
            Table live = dialect.readTable(c, name);
            if (!live.hasPrimaryKey()) {
                throw new ShuttleException(
                        ErrorCode.INVALID_ARGUMENT,
                        "table \"" + name + "\" has no primary key now (it was captured with "
                                + before.schema().require(name).key() + "): it cannot sync without one, so"
                                + " there is no shape to take again. Give it a primary key (ALTER TABLE " + name
                                + " ADD PRIMARY KEY (...)), or add the dropped key column back, then run this again");
            }
            String scope = before.schema().require(name).scopeColumn();
            if (scope != null && live.column(scope).isEmpty()) {
                throw new ShuttleException(
                        ErrorCode.INVALID_ARGUMENT,
                        "table \"" + name + "\" lost its scope column \"" + scope + "\" (dropped or renamed): its"
                                + " rows cannot be scoped without it. Add it back (or rename it back), then run this"
                                + " again if another change remains");
            }
            dialect.capture().fold(c); // the writes captured so far are in the feed
            Table captured = CapturedShape.read(c).get(name);
            Plan p = plan(c, dialect, Set.of(name));
            SyncSchema schema = p.schema();
            SyncedTable t = schema.require(name);
            boolean keyChanged =
                    captured == null || !captured.primaryKey().equals(t.table().primaryKey());
            if (keyChanged) {
                // its feed entries name rows by the old key: replaced by a backfill of its rows below
                Jdbc.update(c, "DELETE FROM _shuttle_feed WHERE tbl = ?", t.id());
                Jdbc.update(c, "DELETE FROM _shuttle_colclock WHERE tbl = ?", t.id());
            } else {
                // its rows keep their feed entries (its snapshot serves them at once); stamps of gone columns go
                List<String> cols =
                        t.table().columns().stream().map(Column::name).toList();
                Jdbc.update(
                        c,
                        "DELETE FROM _shuttle_colclock WHERE tbl = ? AND col NOT IN ("
                                + String.join(", ", java.util.Collections.nCopies(cols.size(), "?")) + ")",
                        prepend(t.id(), cols));
            }
            Set<String> install = new HashSet<>(p.changed());
            install.add(name);
            for (SyncedTable each : schema.tables()) {
                if (install.contains(each.name())) {
                    for (String sql : dialect.capture().installTriggers(each)) {
                        Jdbc.execute(c, sql);
                    }
                }
            }
            takeShape(c, dialect, schema);
            long generation = TableGenerations.bump(c, name);
            long count = Jdbc.queryLong(c, "SELECT count(*) FROM " + dialect.quote(name))
                    .orElse(0L);
            return new Object[] {p, schema, CatalogStamp.read(c, dialect), name, generation, keyChanged, count};
        });
        Plan p = (Plan) result[0];
        SyncSchema schema = (SyncSchema) result[1];
        String name = (String) result[3];
        long rows = (Boolean) result[5]
                ? new Backfill(db, schema.require(name)).run(ProgressListener.NONE)
                : (Long) result[6];
        List<SchemaChanges.Item> items = new ArrayList<>(p.items());
        items.add(new SchemaChanges.Item(
                name,
                null,
                true,
                "table \"" + name + "\" taken again at its new shape (generation " + result[4] + ", " + rows
                        + " rows): devices clone it again on their next sync"));
        return new Outcome(schema, new SchemaChanges(schema.version(), items, true), (String) result[2]);
    }

    /**
     * On a device that has just built {@code table} again as its hub has it now: takes its shape as the
     * captured one and installs its triggers, in the caller's transaction. Returns the schema in force.
     */
    public static SyncSchema takeAgain(Connection c, Dialect dialect, String table) throws SQLException {
        Plan p = plan(c, dialect, Set.of(table));
        Set<String> install = new HashSet<>(p.changed());
        install.add(table);
        for (SyncedTable each : p.schema().tables()) {
            if (install.contains(each.name())) {
                for (String sql : dialect.capture().installTriggers(each)) {
                    Jdbc.execute(c, sql);
                }
            }
        }
        CapturedShape.write(c, p.schema(), dialect.name());
        return p.schema();
    }

    /** {@link #plan(Connection, Dialect)}, taking the tables in {@code accepted} at their live shape whatever changed. */
    static Plan plan(Connection c, Dialect dialect, Set<String> accepted) throws SQLException {
        if (!SyncSchema.isInitialized(c, dialect)) {
            SyncSchema.load(c, dialect); // says what to do
        }
        String node = MetaKeys.get(c, "node_uuid").orElseThrow();
        Map<String, Table> captured = CapturedShape.read(c);
        List<SchemaChanges.Item> items = new ArrayList<>();
        Set<String> changed = new HashSet<>();
        List<SyncedTable> tables = new ArrayList<>();
        Set<String> registered = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(
                        "SELECT id, name, policy, scope_column, excluded FROM _shuttle_tables ORDER BY id");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String name = rs.getString("name");
                registered.add(name);
                Table live = dialect.hasTable(c, name) ? dialect.readTable(c, name) : null;
                Table base = captured.getOrDefault(name, live);
                List<SchemaChanges.Item> problems = new ArrayList<>();
                if (live == null) {
                    problems.add(refused(
                            name,
                            null,
                            "table \"" + name + "\" was dropped or renamed: devices keep syncing it and the hub"
                                    + " cannot serve it. Create it again, or stop syncing it (shuttle init --db HUB without"
                                    + " it, then re-clone the devices)"));
                } else {
                    compare(c, dialect, base, live, rs.getString("scope_column"), problems, items);
                }
                boolean take = problems.isEmpty() || (live != null && accepted.contains(name));
                Table effective = take ? live : base;
                if (!take || problems.isEmpty()) {
                    items.addAll(problems);
                }
                if (take && !shape(live).equals(shape(base))) {
                    changed.add(name);
                }
                tables.add(new SyncedTable(
                        rs.getInt("id"),
                        effective,
                        ConflictPolicy.parse(rs.getString("policy")),
                        SyncSchema.decodeColumns(rs.getString("excluded")),
                        rs.getString("scope_column")));
            }
        }
        List<Table> added = new ArrayList<>();
        boolean all = !"listed".equals(MetaKeys.get(c, SCOPE_KEY).orElse("all"));
        if (all) {
            for (String name : dialect.listTables(c)) {
                if (registered.contains(name) || MIGRATION_TOOL_TABLES.contains(name.toLowerCase(Locale.ROOT))) {
                    continue;
                }
                Table t = dialect.readTable(c, name);
                if (!t.hasPrimaryKey()) {
                    items.add(refused(
                            name,
                            null,
                            "new table \"" + name + "\" has no primary key: it is not synced until it has one"));
                    continue;
                }
                items.add(new SchemaChanges.Item(
                        name,
                        null,
                        true,
                        "new table \"" + name + "\" (" + t.columns().size() + " columns, LWW)"));
                added.add(t);
            }
        }
        return new Plan(SyncSchema.of(node, tables), items, changed, added, !captured.isEmpty());
    }

    /**
     * What a lost key or scope column does to the application's writes: on PostgreSQL and MariaDB the
     * capture trigger, which names rows by it, refuses them (SQLite renames a column in its triggers, and
     * cannot drop a key column).
     */
    private static String writesRefused(Dialect dialect, String column) {
        return dialect.name().equals("sqlite")
                ? ""
                : ", and the application's writes to the table are refused until this is resolved (its capture"
                        + " trigger names rows by \"" + column + "\")";
    }

    /**
     * What a lost value column does to the application's writes: on MariaDB the capture triggers, which
     * compare it by name, refuse them (on PostgreSQL they read it as NULL, SQLite renames it in its triggers
     * and refuses to drop it).
     */
    private static String valueWritesRefused(Dialect dialect) {
        return dialect.name().equals("mariadb")
                ? ", and the application's writes to the table are refused until this is resolved (its capture"
                        + " triggers read the column)"
                : "";
    }

    /** How to accept a destructive change of {@code table}, and what it does. */
    private static String accept(String table) {
        return "'shuttle schema apply --db DB --accept-destructive " + table + "' takes the table again at its new"
                + " shape, and devices clone it again";
    }

    private static SchemaChanges.Item refused(String table, String column, String message) {
        return new SchemaChanges.Item(table, column, false, message);
    }

    private static Object[] prepend(Object first, List<String> rest) {
        Object[] out = new Object[rest.size() + 1];
        out[0] = first;
        for (int i = 0; i < rest.size(); i++) {
            out[i + 1] = rest.get(i);
        }
        return out;
    }

    /** A declared type without its length or precision: widening a varchar keeps the type. */
    private static String baseType(Column c) {
        return c.declaredType()
                .toLowerCase(Locale.ROOT)
                .replaceAll("\\(.*\\)", "")
                .trim();
    }

    /** What of a table's definition sync depends on, comparable across a captured and a read table. */
    private static String shape(Table t) {
        StringBuilder b = new StringBuilder();
        for (Column col : t.columns()) {
            b.append(col.name())
                    .append(':')
                    .append(col.declaredType().toLowerCase(Locale.ROOT))
                    .append(':')
                    .append(col.nullable())
                    .append(':')
                    .append(col.primaryKeyPosition())
                    .append(';');
        }
        t.foreignKeys()
                .forEach(fk ->
                        b.append(fk.childColumns()).append(fk.parentTable()).append(fk.parentColumns()));
        return b.toString();
    }

    private static void compare(
            Connection c,
            Dialect dialect,
            Table base,
            Table live,
            String scope,
            List<SchemaChanges.Item> problems,
            List<SchemaChanges.Item> safe)
            throws SQLException {
        String name = live.name();
        Set<String> renamedTo = new HashSet<>();
        for (int i = 0; i < base.columns().size(); i++) {
            Column was = base.columns().get(i);
            Column now = live.column(was.name()).orElse(null);
            String col = "column \"" + name + "\".\"" + was.name() + "\"";
            Column renamed = now == null ? renamedTo(base, live, i) : null;
            if (renamed != null && was.inPrimaryKey()) {
                renamedTo.add(renamed.name());
                problems.add(refused(
                        name,
                        was.name(),
                        col + " of the primary key was renamed to \"" + renamed.name() + "\": devices still name rows"
                                + " by \"" + was.name() + "\"" + writesRefused(dialect, was.name())
                                + ". Rename it back, or accept it: " + accept(name)));
            } else if (renamed != null && was.name().equals(scope)) {
                renamedTo.add(renamed.name());
                problems.add(refused(
                        name,
                        was.name(),
                        col + " (the table's scope column) was renamed to \"" + renamed.name() + "\": rows are"
                                + " scoped by \"" + was.name() + "\"" + writesRefused(dialect, was.name())
                                + ". Rename it back: the table does not sync without its scope column"));
            } else if (renamed != null) {
                renamedTo.add(renamed.name());
                problems.add(refused(
                        name,
                        was.name(),
                        col + " was renamed to \"" + renamed.name() + "\": devices still send \"" + was.name() + "\""
                                + valueWritesRefused(dialect) + ". Rename it back, or accept it: " + accept(name)));
            } else if (now == null && was.inPrimaryKey() && !live.hasPrimaryKey()) {
                problems.add(refused(
                        name,
                        was.name(),
                        col + " of the primary key was dropped or renamed, and the table has no primary key now:"
                                + " it cannot sync without one" + writesRefused(dialect, was.name())
                                + ". Add the column back as the primary key, or give the table a new primary key"
                                + " (ALTER TABLE " + name + " ADD PRIMARY KEY (...)) and accept it: "
                                + accept(name)));
            } else if (now == null && was.inPrimaryKey()) {
                problems.add(refused(
                        name,
                        was.name(),
                        col + " of the primary key was dropped or renamed: devices still name rows by it"
                                + writesRefused(dialect, was.name()) + ". Add it back as the primary key, or accept"
                                + " it: " + accept(name)));
            } else if (now == null && was.name().equals(scope)) {
                problems.add(refused(
                        name,
                        was.name(),
                        col + " (the table's scope column) was dropped or renamed: rows are scoped by it"
                                + writesRefused(dialect, was.name())
                                + ". Add it back: the table does not sync without its scope column"));
            } else if (now == null) {
                problems.add(refused(
                        name,
                        was.name(),
                        col + " was dropped or renamed: devices still send it" + valueWritesRefused(dialect)
                                + ". Add it back (nullable), or"
                                + " accept it: " + accept(name)));
            } else if (!baseType(was).equals(baseType(now))) {
                problems.add(refused(
                        name,
                        was.name(),
                        col + " changed type from " + was.declaredType() + " to " + now.declaredType()
                                + ": devices hold the old type. Change it back (and add a column of the new type"
                                + " instead), or accept it: " + accept(name)));
            } else if (was.primaryKeyPosition() != now.primaryKeyPosition()) {
                problems.add(refused(
                        name,
                        was.name(),
                        col + " changed its place in the primary key: rows would no longer match on devices."
                                + " Change it back (and make a new table with the new key instead), or accept it: "
                                + accept(name)));
            }
        }
        for (Column now : live.columns()) {
            if (base.column(now.name()).isPresent() || renamedTo.contains(now.name())) {
                continue;
            }
            String col = "new column \"" + name + "\".\"" + now.name() + "\"";
            if (now.inPrimaryKey()) {
                problems.add(refused(
                        name,
                        now.name(),
                        col + " is part of the primary key: rows would no longer match on devices."
                                + " Drop it (and make a new table with the new key instead), or accept it: "
                                + accept(name)));
            } else if (!now.nullable() && !CatalogStamp.hasDefault(c, dialect, name, now.name())) {
                problems.add(refused(
                        name,
                        now.name(),
                        col + " is NOT NULL without a default: devices that lack it could not add rows."
                                + " Give it a default (or make it nullable) and run 'shuttle schema apply', or accept it: "
                                + accept(name)));
            } else {
                safe.add(new SchemaChanges.Item(
                        name,
                        now.name(),
                        true,
                        col + " (" + (now.declaredType().isBlank() ? "no declared type" : now.declaredType()) + ")"));
            }
        }
    }

    /**
     * The live column that looks like base column {@code i} renamed: at the same place, of the same type,
     * nullability and key position, under a name the captured shape does not have; null when none does.
     */
    private static Column renamedTo(Table base, Table live, int i) {
        if (base.columns().size() != live.columns().size()) {
            return null;
        }
        Column was = base.columns().get(i);
        Column now = live.columns().get(i);
        boolean same = base.column(now.name()).isEmpty()
                && baseType(was).equals(baseType(now))
                && was.nullable() == now.nullable()
                && was.primaryKeyPosition() == now.primaryKeyPosition();
        return same ? now : null;
    }
}
