package io.shuttlebridge.core.capture;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.MetaKeys;
import io.shuttlebridge.core.internal.capture.Backfill;
import io.shuttlebridge.core.internal.capture.SchemaEvolution;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.internal.format.EngineFormat;
import io.shuttlebridge.core.internal.format.FormatUpgrade;
import io.shuttlebridge.core.internal.schema.Table;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Enables and removes sync on an existing database: metadata objects, capture triggers, and a
 * backfill of rows that exist already. Enabling again is harmless (triggers are recreated from the
 * current table shape, rows already in the feed are skipped; metadata an earlier release wrote is
 * upgraded to this release's format first, and a newer format is refused); removal takes every
 * object away.
 */
public final class Capture {
    private Capture() {}

    /** What {@link #enable} did. */
    public record EnableResult(String nodeUuid, List<String> tables, Map<String, Long> backfilled, List<String> plan) {}

    /** Enables sync on every table of the database with the default options (LWW, every column replicated). */
    public static EnableResult enable(ShuttleDatabase db) {
        return enable(db, CaptureOptions.allTables());
    }

    /** Rows backfilled at once from which the feed's statistics are brought up to date ({@link Dialect#feedGrew}). */
    static final long FEED_STATISTICS_ROWS = 10_000;

    /** Enables sync as {@code options} say; the backfill of existing rows reports no progress. */
    public static EnableResult enable(ShuttleDatabase db, CaptureOptions options) {
        return enable(db, options, ProgressListener.NONE);
    }

    /**
     * Enables sync as {@code options} say: metadata objects, capture triggers, and a backfill of the
     * rows that exist already, reported to {@code progress} (long for large tables).
     */
    public static EnableResult enable(ShuttleDatabase db, CaptureOptions options, ProgressListener progress) {
        Dialect dialect = Dialects.of(db);
        List<SyncedTable> registered = db.transaction(c -> {
            List<Table> chosen = chooseTables(c, dialect, options);
            FormatUpgrade.upgradeIfEnabled(c, dialect, db.displayUrl());
            for (String ddl : dialect.capture().metadataDdl()) {
                Jdbc.execute(c, ddl);
            }
            ensureNodeIdentity(c, options.nodeUuid());
            for (Table t : chosen) {
                register(c, t, options);
            }
            SyncSchema schema = SyncSchema.load(c, dialect);
            for (SyncedTable t : schema.tables()) {
                for (String sql : dialect.capture().installTriggers(t)) {
                    Jdbc.execute(c, sql);
                }
            }
            SchemaEvolution.captured(c, schema, dialect, options.tables().isEmpty());
            return new ArrayList<>(schema.tables());
        });
        Map<String, Long> backfilled = new LinkedHashMap<>();
        for (SyncedTable t : registered) {
            backfilled.put(t.name(), new Backfill(db, t).run(progress));
        }
        if (backfilled.values().stream().mapToLong(Long::longValue).sum() >= FEED_STATISTICS_ROWS) {
            db.transaction(c -> {
                dialect.feedGrew(c);
                return null;
            });
        }
        return db.read(c -> {
            SyncSchema schema = SyncSchema.load(c, dialect);
            return new EnableResult(
                    schema.nodeUuid(),
                    registered.stream().map(SyncedTable::name).toList(),
                    backfilled,
                    schema.plan().describe());
        });
    }

    /**
     * What changed in the database's tables since capture last ran on them: additive changes a running
     * hub takes by itself, and destructive ones it refuses (DESIGN §10). Changes nothing.
     */
    public static SchemaChanges checkSchema(ShuttleDatabase db) {
        FormatUpgrade.open(db);
        return SchemaEvolution.check(db);
    }

    /**
     * Takes the safe changes {@link #checkSchema} finds (new nullable or defaulted columns; new tables with
     * a primary key when capture covers every table): triggers installed again, new tables registered
     * under LWW and backfilled. Destructive changes are left out and listed in {@link SchemaChanges#refused()}.
     * A running hub does the same by itself shortly after the tables change.
     */
    public static SchemaChanges applySchema(ShuttleDatabase db) {
        FormatUpgrade.open(db);
        return SchemaEvolution.apply(db, SchemaEvolution.UNKNOWN).changes();
    }

    /**
     * Takes {@code table} again at the shape it has now, accepting the destructive changes {@link
     * #checkSchema} refuses for it (a column dropped or renamed, a type or key changed): its triggers and
     * captured shape follow the table, its rows are captured again, and devices clone it again on their
     * next sync (their writes to it not pushed yet are kept as rejected writes, to retry or dismiss). The
     * additive changes of other tables are taken too. A table that was dropped cannot be taken again.
     */
    public static SchemaChanges acceptSchema(ShuttleDatabase db, String table) {
        FormatUpgrade.open(db);
        return SchemaEvolution.accept(db, table).changes();
    }

    /** Drops every capture trigger and metadata object; user tables and rows are left untouched. */
    public static void remove(ShuttleDatabase db) {
        db.transaction(c -> {
            Dialects.of(db).capture().removeAll(c);
            return null;
        });
    }

    private static List<Table> chooseTables(Connection c, Dialect dialect, CaptureOptions options) throws SQLException {
        List<String> existing = dialect.listTables(c);
        List<String> names = options.tables().isEmpty() ? existing : new ArrayList<>(options.tables());
        List<String> problems = new ArrayList<>();
        List<Table> tables = new ArrayList<>();
        for (String name : names) {
            if (!existing.contains(name)) {
                problems.add(
                        "table \"" + name + "\" does not exist (tables here: " + String.join(", ", existing) + ")");
                continue;
            }
            Table t = dialect.readTable(c, name);
            try {
                t.requirePrimaryKey();
            } catch (ShuttleException e) {
                problems.add(e.getMessage());
                continue;
            }
            validateColumns(t, options, problems);
            tables.add(t);
        }
        for (String table : options.excludedColumns().keySet()) {
            if (!names.contains(table)) {
                problems.add("excluded column given for table \"" + table + "\" which is not being enabled");
            }
        }
        if (!problems.isEmpty()) {
            throw new ShuttleException(
                    problems.stream().anyMatch(p -> p.contains("primary key"))
                            ? ErrorCode.UNSUPPORTED_SCHEMA
                            : ErrorCode.INVALID_ARGUMENT,
                    String.join("; ", problems));
        }
        return tables;
    }

    private static void validateColumns(Table t, CaptureOptions options, List<String> problems) {
        for (String col : options.excludedColumns(t.name())) {
            if (t.column(col).isEmpty()) {
                problems.add("excluded column \"" + col + "\" does not exist in table \"" + t.name() + "\"");
            } else if (t.primaryKey().contains(col)) {
                problems.add("column \"" + col + "\" of \"" + t.name()
                        + "\" is part of the primary key and cannot be excluded");
            }
        }
        String scope = options.scopeColumn(t.name());
        if (scope != null && t.column(scope).isEmpty()) {
            problems.add("scope column \"" + scope + "\" does not exist in table \"" + t.name() + "\"");
        }
    }

    /** The database's node identity: the one it has, else {@code given}, else a random one. */
    private static void ensureNodeIdentity(Connection c, UUID given) throws SQLException {
        String uuid = MetaKeys.get(c, "node_uuid").orElse(null);
        if (uuid == null) {
            uuid = (given == null ? UUID.randomUUID() : given).toString();
            MetaKeys.put(c, "node_uuid", uuid);
            EngineFormat.write(c, EngineFormat.CURRENT);
        }
        Jdbc.update(c, "INSERT INTO _shuttle_nodes (id, uuid) VALUES (0, ?) ON CONFLICT DO NOTHING", uuid);
    }

    private static void register(Connection c, Table t, CaptureOptions options) throws SQLException {
        Long id = Jdbc.queryLong(c, "SELECT id FROM _shuttle_tables WHERE name = ?", t.name())
                .orElse(null);
        ConflictPolicy policy = options.policy(t.name());
        Set<String> excluded = new TreeSet<>(options.excludedColumns(t.name()));
        if (id == null) {
            Jdbc.update(
                    c,
                    "INSERT INTO _shuttle_tables (id, name, policy, scope_column, excluded)"
                            + " VALUES ((SELECT coalesce(max(id), 0) + 1 FROM _shuttle_tables), ?, ?, ?, ?)",
                    t.name(),
                    (policy == null ? ConflictPolicy.LWW : policy).name(),
                    options.scopeColumn(t.name()),
                    SyncSchema.encodeColumns(excluded));
            return;
        }
        if (policy != null) {
            Jdbc.update(c, "UPDATE _shuttle_tables SET policy = ? WHERE id = ?", policy.name(), id);
        }
        if (!excluded.isEmpty()) {
            Jdbc.update(
                    c, "UPDATE _shuttle_tables SET excluded = ? WHERE id = ?", SyncSchema.encodeColumns(excluded), id);
        }
        if (options.scopeColumn(t.name()) != null) {
            Jdbc.update(
                    c, "UPDATE _shuttle_tables SET scope_column = ? WHERE id = ?", options.scopeColumn(t.name()), id);
        }
    }
}
