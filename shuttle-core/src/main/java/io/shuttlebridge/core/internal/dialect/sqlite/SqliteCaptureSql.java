package io.shuttlebridge.core.internal.dialect.sqlite;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.dialect.CaptureSql;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.dialect.Identifiers;
import io.shuttlebridge.core.internal.feed.EntryBase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Capture on SQLite with plain-SQL triggers (no user functions), so writes from any program,
 * the {@code sqlite3} shell included, are captured.
 *
 * <p>A trigger does the least it can on the write path: it appends one row to the capture log
 * {@code _shuttle_log} (a rowid table, so an append at its end) with the wall-clock time of the
 * write. {@link #fold} turns those times into hybrid logical clock stamps in log order — entry
 * {@code i} gets {@code seq_i + max over j <= i of (time_j - seq_j)}, which is the greater of its
 * own time and the previous stamp plus one, the same stamp a clock ticking at each write would
 * have given — and moves the log into the feed {@code _shuttle_feed}, one entry per row with its
 * version, in set-based statements. The log always keeps its newest row (a marker once folded),
 * so seqs never go back and stamps never fall behind anything written or received. The engine
 * folds before it reads or applies. Updates that change no replicated column do not fire
 * (dirty-field rule). FIELD_LWW tables also record which columns changed; their stamps are
 * resolved by the same fold.
 *
 * <p>Applying remote changes: whatever the triggers log during the apply is deleted before commit
 * (SQLite has one writer, so the log's tail is exactly the apply's own echo) and the remote
 * entries are logged with their origin, hlc and version instead.
 */
final class SqliteCaptureSql implements CaptureSql {
    static final int OP_UPSERT = 1;
    static final int OP_DELETE = 2;

    /** Milliseconds since the Unix epoch from SQLite's clock, in plain SQL. */
    private static final String NOW_MS = "CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)";

    private static final String LAST_HLC = "(SELECT hlc FROM _shuttle_log ORDER BY seq DESC LIMIT 1)";
    /** A column stamp whose hlc column still holds the log seq of its write, until the next fold. */
    private static final int PENDING_ORIGIN = -1;

    private static final String STAMPS = "INSERT INTO temp._shuttle_stamps (seq, hlc) SELECT seq,"
            + " CASE WHEN origin IS NULL THEN seq + max(hlc - seq) OVER (ORDER BY seq ROWS UNBOUNDED PRECEDING) ELSE hlc END"
            + " FROM _shuttle_log";

    private static final String FOLD =
            "INSERT INTO _shuttle_feed (tbl, pk, seq, op, hlc, origin, version, base, scope, via)"
                    + " SELECT l.tbl, l.pk, l.seq, l.op, s.hlc, coalesce(l.origin, 0),"
                    + " CASE WHEN l.origin IS NULL THEN coalesce(f.version, 0) + g.n ELSE l.version END,"
                    + " CASE WHEN l.origin IS NOT NULL THEN coalesce(l.base, l.version) WHEN f.origin IS NULL THEN 0 WHEN f.origin = 0 THEN "
                    + EntryBase.of("f")
                    + " ELSE f.version END, l.scope, l.via"
                    + " FROM (SELECT max(seq) AS seq, count(*) AS n FROM _shuttle_log WHERE tbl > 0 GROUP BY tbl, pk) g"
                    + " JOIN _shuttle_log l ON l.seq = g.seq JOIN temp._shuttle_stamps s ON s.seq = l.seq LEFT JOIN _shuttle_feed f ON f.tbl = l.tbl AND f.pk = l.pk WHERE true"
                    + " " + FEED_ENTRY_REPLACES;

    /**
     * {@code _shuttle_applying} holds a row only inside an apply transaction: the triggers do not log while it does (SQLite has
     * one writer, so no other connection's write can happen meanwhile, and the row is never committed).
     */
    private static final String NOT_APPLYING = "NOT EXISTS (SELECT 1 FROM _shuttle_applying)";

    private final Dialect dialect;

    SqliteCaptureSql(Dialect dialect) {
        this.dialect = dialect;
    }

    @Override
    public List<String> metadataDdl() {
        return List.of(
                "CREATE TABLE IF NOT EXISTS _shuttle_meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID",
                "CREATE TABLE IF NOT EXISTS _shuttle_nodes (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE)",
                "CREATE TABLE IF NOT EXISTS _shuttle_tables (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
                        + " policy TEXT NOT NULL, scope_column TEXT, excluded TEXT NOT NULL DEFAULT '')",
                // capture log: appended by triggers, folded into the feed; tbl 0 marks the clock marker row
                "CREATE TABLE IF NOT EXISTS _shuttle_log (seq INTEGER PRIMARY KEY, tbl INTEGER NOT NULL, pk BLOB,"
                        + " op INTEGER NOT NULL, hlc INTEGER NOT NULL, scope BLOB, origin INTEGER, version INTEGER, via INTEGER, base INTEGER)",
                "INSERT INTO _shuttle_log (seq, tbl, op, hlc) SELECT 0, 0, 0, 0 WHERE NOT EXISTS (SELECT 1 FROM _shuttle_log)",
                // One entry per row (the latest write); pk holds the key value itself (BLOB affinity keeps
                // every value as it is) or, for composite keys, the quote()d parts joined by commas.
                "CREATE TABLE IF NOT EXISTS _shuttle_feed (tbl INTEGER NOT NULL, pk BLOB NOT NULL,"
                        + " seq INTEGER NOT NULL, op INTEGER NOT NULL, hlc INTEGER NOT NULL, origin INTEGER NOT NULL,"
                        + " version INTEGER NOT NULL, base INTEGER NOT NULL, scope BLOB, via INTEGER,"
                        + " PRIMARY KEY (tbl, pk)) WITHOUT ROWID",
                "CREATE UNIQUE INDEX IF NOT EXISTS _shuttle_feed_seq ON _shuttle_feed (seq)",
                "CREATE TABLE IF NOT EXISTS _shuttle_colclock (tbl INTEGER NOT NULL, pk BLOB NOT NULL,"
                        + " col TEXT NOT NULL, hlc INTEGER NOT NULL, origin INTEGER NOT NULL,"
                        + " PRIMARY KEY (tbl, pk, col)) WITHOUT ROWID",
                // per peer and direction: last seq pulled from it, last local seq pushed to it, last seq it
                // acknowledged
                "CREATE TABLE IF NOT EXISTS _shuttle_peers (peer TEXT PRIMARY KEY, last_pulled INTEGER NOT NULL DEFAULT 0,"
                        + " last_pushed INTEGER NOT NULL DEFAULT 0, acked INTEGER NOT NULL DEFAULT 0, last_sync_at TEXT,"
                        + " last_outcome TEXT)",
                "CREATE TABLE IF NOT EXISTS _shuttle_conflicts (id INTEGER PRIMARY KEY, tbl TEXT NOT NULL, key_json TEXT NOT NULL,"
                        + " policy TEXT NOT NULL, local_json TEXT, local_hlc INTEGER, local_origin TEXT, local_version INTEGER,"
                        + " remote_json TEXT, remote_hlc INTEGER, remote_origin TEXT, remote_version INTEGER, remote_base INTEGER,"
                        + " detected_at TEXT NOT NULL, status TEXT NOT NULL, resolution TEXT, resolved_at TEXT)",
                "CREATE TABLE IF NOT EXISTS _shuttle_pending (tbl TEXT NOT NULL, key_json TEXT NOT NULL, change_json TEXT NOT NULL,"
                        + " via TEXT, reason TEXT NOT NULL, attempts INTEGER NOT NULL, first_seen TEXT NOT NULL,"
                        + " PRIMARY KEY (tbl, key_json))",
                "CREATE TABLE IF NOT EXISTS _shuttle_applying (id INTEGER PRIMARY KEY)",
                "CREATE TABLE IF NOT EXISTS _shuttle_refused (seq INTEGER PRIMARY KEY)",
                "CREATE TABLE IF NOT EXISTS _shuttle_bundles (bundle_id TEXT PRIMARY KEY, source_node TEXT NOT NULL,"
                        + " imported_at TEXT NOT NULL, applied INTEGER NOT NULL, duplicates INTEGER NOT NULL)");
    }

    @Override
    public List<String> installTriggers(SyncedTable t) {
        String table = dialect.quote(t.name());
        List<String> replicated = t.replicatedColumns();
        List<String> sql = new ArrayList<>(dropStatements(t));

        sql.add("CREATE TRIGGER " + triggerName(t, "ins") + " AFTER INSERT ON " + table + " WHEN " + NOT_APPLYING
                + " BEGIN " + logWrite(t, "NEW", OP_UPSERT) + columnClocks(t, replicated, false) + " END");

        String changed = replicated.stream()
                .map(c -> "OLD." + dialect.quote(c) + " IS NOT NEW." + dialect.quote(c))
                .collect(Collectors.joining(" OR "));
        sql.add("CREATE TRIGGER " + triggerName(t, "upd") + " AFTER UPDATE OF " + columnList(replicated) + " ON "
                + table + " WHEN (" + changed + ") AND " + NOT_APPLYING + " BEGIN " + logWrite(t, "NEW", OP_UPSERT)
                + columnClocks(t, replicated, true) + " END");

        String keyChanged = t.key().stream()
                .map(c -> "OLD." + dialect.quote(c) + " IS NOT NEW." + dialect.quote(c))
                .collect(Collectors.joining(" OR "));
        sql.add("CREATE TRIGGER " + triggerName(t, "key") + " AFTER UPDATE OF " + columnList(t.key()) + " ON " + table
                + " WHEN (" + keyChanged + ") AND " + NOT_APPLYING + " BEGIN " + logWrite(t, "OLD", OP_DELETE)
                + " END");

        sql.add("CREATE TRIGGER " + triggerName(t, "del") + " AFTER DELETE ON " + table + " WHEN " + NOT_APPLYING
                + " BEGIN " + logWrite(t, "OLD", OP_DELETE) + " END");
        return sql;
    }

    private String logWrite(SyncedTable t, String row, int op) {
        String scope = t.scopeColumn() == null ? "NULL" : row + "." + dialect.quote(t.scopeColumn());
        return "INSERT INTO _shuttle_log (tbl, pk, op, hlc, scope) VALUES (" + t.id() + ", " + keyExpression(t, row)
                + ", " + op + ", " + NOW_MS + " << 16, " + scope + ");";
    }

    /** Per-column stamps for FIELD_LWW tables: every written column (insert) or every changed one (update). */
    private String columnClocks(SyncedTable t, List<String> columns, boolean onlyChanged) {
        if (t.policy() != ConflictPolicy.FIELD_LWW) {
            return "";
        }
        List<String> cols = columns.stream().filter(c -> !t.key().contains(c)).toList();
        if (cols.isEmpty()) {
            return "";
        }
        String choices = cols.stream()
                .map(c -> "SELECT " + Identifiers.literal(c) + " AS col"
                        + (onlyChanged ? " WHERE OLD." + dialect.quote(c) + " IS NOT NEW." + dialect.quote(c) : ""))
                .collect(Collectors.joining(" UNION ALL "));
        return " INSERT INTO _shuttle_colclock (tbl, pk, col, hlc, origin) SELECT " + t.id() + ", "
                + keyExpression(t, "NEW") + ", c.col, (SELECT max(seq) FROM _shuttle_log), " + PENDING_ORIGIN
                + " FROM ("
                + choices
                + ") c WHERE true ON CONFLICT (tbl, pk, col) DO UPDATE SET hlc = excluded.hlc, origin = excluded.origin;";
    }

    @Override
    public String keyExpression(SyncedTable t, String alias) {
        List<String> key = t.key();
        if (key.size() == 1) {
            return alias + "." + dialect.quote(key.get(0));
        }
        return key.stream()
                .map(c -> "quote(" + alias + "." + dialect.quote(c) + ")")
                .collect(Collectors.joining(" || ',' || "));
    }

    @Override
    public String rowOfFeedEntry(SyncedTable t, String feedAlias, String rowAlias) {
        // the feed keeps a single-column key as the value itself; the row's column affinity applies to it
        return t.key().size() == 1 ? rowAlias + "." + dialect.quote(t.key().get(0)) + " = " + feedAlias + ".pk" : null;
    }

    @Override
    public String keyParameterExpression(SyncedTable t) {
        return t.key().size() == 1
                ? "?"
                : t.key().stream().map(c -> "quote(?)").collect(Collectors.joining(" || ',' || "));
    }

    @Override
    public String feedKeyMatch(SyncedTable t, String alias) {
        // unary + drops the column's affinity, so the comparison can use the feed's primary key
        return "+" + keyExpression(t, alias);
    }

    @Override
    public void logLocalWrite(Connection c, SyncedTable t, List<Object> key) throws SQLException {
        List<Object> args = new ArrayList<>();
        args.add(t.id());
        args.addAll(key);
        Jdbc.update(
                c,
                "INSERT INTO _shuttle_log (tbl, pk, op, hlc) VALUES (?, " + keyParameterExpression(t) + ", 1, " + NOW_MS
                        + " << 16)",
                args.toArray());
    }

    @Override
    public List<Object> decodeKey(SyncedTable t, Object stored) {
        if (t.key().size() == 1) {
            return Collections.singletonList(stored instanceof Integer i ? Long.valueOf(i) : stored);
        }
        return SqlLiterals.parseList(String.valueOf(stored), t.key().size());
    }

    @Override
    public void fold(Connection c) throws SQLException {
        long pending = Jdbc.queryLong(c, "SELECT count(*) FROM (SELECT 1 FROM _shuttle_log LIMIT 2)")
                .orElse(0L);
        if (pending < 2) {
            return; // only the marker
        }
        try (Statement s = c.createStatement()) {
            s.execute(
                    "CREATE TEMP TABLE IF NOT EXISTS _shuttle_stamps (seq INTEGER PRIMARY KEY, hlc INTEGER NOT NULL)");
            s.executeUpdate("DELETE FROM temp._shuttle_stamps");
            s.executeUpdate(STAMPS);
            s.executeUpdate(FOLD);
            s.executeUpdate(
                    "UPDATE _shuttle_colclock SET hlc = (SELECT s.hlc FROM temp._shuttle_stamps s WHERE s.seq = _shuttle_colclock.hlc),"
                            + " origin = 0 WHERE origin = " + PENDING_ORIGIN);
            s.executeUpdate("DELETE FROM _shuttle_log WHERE seq < (SELECT max(seq) FROM _shuttle_log)");
            s.executeUpdate(
                    "UPDATE _shuttle_log SET tbl = 0, pk = NULL, scope = NULL, origin = NULL, version = NULL, via = NULL, base = NULL,"
                            + " hlc = (SELECT s.hlc FROM temp._shuttle_stamps s WHERE s.seq = _shuttle_log.seq)");
            s.executeUpdate("DELETE FROM temp._shuttle_stamps");
        }
    }

    @Override
    public long beginApply(Connection c) throws SQLException {
        fold(c);
        Jdbc.update(c, "INSERT OR REPLACE INTO _shuttle_applying (id) VALUES (1)");
        return Jdbc.queryLong(c, "SELECT max(seq) FROM _shuttle_log").orElse(0L);
    }

    @Override
    public void endApply(Connection c, long token, List<AppliedEntry> entries) throws SQLException {
        Jdbc.update(c, "DELETE FROM _shuttle_applying");
        long lastLocalHlc = Jdbc.queryLong(c, "SELECT hlc FROM _shuttle_log WHERE seq = ?", token)
                .orElse(0L);
        // an echo of the apply, from triggers installed before they checked _shuttle_applying:
        // everything logged since beginApply, and its column stamps
        if (Jdbc.update(c, "DELETE FROM _shuttle_log WHERE seq > ?", token) > 0) {
            Jdbc.update(c, "DELETE FROM _shuttle_colclock WHERE origin = " + PENDING_ORIGIN);
        }
        if (entries.isEmpty()) {
            return;
        }
        // the log holds only its marker now (beginApply folded): the applied entries go straight into the
        // feed with the next seqs, and the marker moves past them, as a fold of them would have done
        long seq = token;
        long maxHlc = lastLocalHlc;
        Map<SyncedTable, List<long[]>> byTable = new LinkedHashMap<>(); // entry index and seq
        for (int i = 0; i < entries.size(); i++) {
            byTable.computeIfAbsent(entries.get(i).table(), x -> new ArrayList<>())
                    .add(new long[] {i, ++seq});
            maxHlc = Math.max(maxHlc, entries.get(i).hlc());
        }
        for (var e : byTable.entrySet()) { // tables are independent; within one, entries keep their order
            SyncedTable t = e.getKey();
            try (MultiRowInsert<long[]> insert = new MultiRowInsert<>(
                    c, n -> entriesSql(t, n), (ps, i, is) -> bindEntry(ps, i, entries.get((int) is[0]), is[1]))) {
                insert.run(e.getValue());
            }
        }
        // the marker keeps the clock past every stamp written here or received
        Jdbc.update(c, "UPDATE _shuttle_log SET seq = ?, hlc = ? WHERE seq = ?", seq, maxHlc, token);
    }

    private String entriesSql(SyncedTable t, int rows) {
        String row = "(" + t.id() + ", " + keyParameterExpression(t) + ", ?, ?, ?, ?, ?, ?, ?, ?)";
        return "INSERT INTO _shuttle_feed (tbl, pk, seq, op, hlc, origin, version, base, scope, via) VALUES "
                + String.join(", ", Collections.nCopies(rows, row))
                + " " + FEED_ENTRY_REPLACES;
    }

    private static int bindEntry(PreparedStatement ps, int i, AppliedEntry e, long seq) throws SQLException {
        for (Object part : e.key()) {
            Jdbc.set(ps, i++, part);
        }
        ps.setLong(i++, seq);
        ps.setInt(i++, e.op());
        ps.setLong(i++, e.hlc());
        ps.setInt(i++, e.origin());
        ps.setLong(i++, e.version());
        ps.setLong(i++, e.base());
        Jdbc.set(ps, i++, e.scope());
        if (e.via() == null) {
            ps.setNull(i++, Types.INTEGER);
        } else {
            ps.setInt(i++, e.via());
        }
        return i;
    }

    @Override
    public long[] nextSeqAndHlc(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT seq + 1, max(hlc + 1, " + NOW_MS
                        + " << 16) FROM _shuttle_log" + " ORDER BY seq DESC LIMIT 1");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    @Override
    public void advanceClock(Connection c, long seq, long hlc) throws SQLException {
        fold(c);
        Jdbc.update(
                c,
                "INSERT INTO _shuttle_log (seq, tbl, op, hlc) SELECT ?, 0, 0, max(?, " + LAST_HLC + ")"
                        + " WHERE ? > (SELECT max(seq) FROM _shuttle_log)",
                seq,
                hlc,
                seq);
        Jdbc.update(c, "DELETE FROM _shuttle_log WHERE seq < (SELECT max(seq) FROM _shuttle_log)");
    }

    private List<String> dropStatements(SyncedTable t) {
        return List.of("ins", "upd", "key", "del").stream()
                .map(kind -> "DROP TRIGGER IF EXISTS " + triggerName(t, kind))
                .toList();
    }

    @Override
    public void removeAll(Connection c) throws SQLException {
        List<String[]> objects = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                        "SELECT type, name FROM sqlite_schema WHERE name LIKE '\\_shuttle\\_%' ESCAPE '\\'"
                                + " AND type IN ('trigger', 'table', 'view') ORDER BY CASE type WHEN 'trigger' THEN 0 ELSE 1 END");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                objects.add(new String[] {rs.getString(1), rs.getString(2)});
            }
        }
        try (Statement s = c.createStatement()) {
            for (String[] o : objects) {
                s.execute("DROP " + o[0].toUpperCase(Locale.ROOT) + " IF EXISTS " + dialect.quote(o[1]));
            }
        }
    }

    private String columnList(List<String> columns) {
        return columns.stream().map(dialect::quote).collect(Collectors.joining(", "));
    }

    private static String triggerName(SyncedTable t, String kind) {
        return "\"_shuttle_t" + t.id() + "_" + kind + "\"";
    }
}
