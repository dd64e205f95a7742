package io.shuttlebridge.core.dialect.sqlite;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.capture.SyncedTable;
import io.shuttlebridge.core.dialect.CaptureSql;
import io.shuttlebridge.core.dialect.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Capture on SQLite with plain-SQL triggers (no user functions), so writes from any program,
 * the {@code sqlite3} shell included, are captured.
 *
 * <p>Each trigger ticks the hybrid logical clock kept in {@code _shuttle_clock} (the greater of the
 * last stamp plus one and the wall clock in the high 48 bits) and upserts the row's single feed entry
 * in {@code _shuttle_feed}: a new local {@code seq}, the op, the stamp, origin 0 (this node) and
 * the row version plus one. Updates that change no replicated column do not fire (dirty-field
 * rule). While the engine applies remote changes, {@code _shuttle_clock.applying} is 1 inside its
 * transaction and the triggers stay silent (no echo).
 */
final class SqliteCaptureSql implements CaptureSql {
    static final int OP_UPSERT = 1;
    static final int OP_DELETE = 2;

    /** Milliseconds since the Unix epoch from SQLite's clock, in plain SQL. */
    private static final String NOW_MS = "CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)";
    /**
     * The next seq and hlc, read without writing anything but the feed entry itself: seq follows
     * the newest entry (the feed's last seq, or the floor kept in {@code _shuttle_clock} when the
     * feed was purged); the hlc is past the newest entry's stamp (the latest local write), past every
     * stamp the engine has received ({@code _shuttle_clock.hlc}), and at least the wall clock.
     */
    static final String NEXT_FROM = " FROM _shuttle_clock k LEFT JOIN (SELECT seq, hlc FROM _shuttle_feed ORDER BY seq DESC LIMIT 1) l"
            + " WHERE k.id = 0";
    static final String NEXT_SEQ = "max(k.seq, coalesce(l.seq, 0)) + 1";
    static final String NEXT_HLC = "max(k.hlc + 1, coalesce(l.hlc, 0) + 1, " + NOW_MS + " << 16)";
    private static final String SILENT_UNLESS_LOCAL = "(SELECT applying FROM _shuttle_clock WHERE id = 0) = 0";

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
                "CREATE TABLE IF NOT EXISTS _shuttle_clock (id INTEGER PRIMARY KEY CHECK (id = 0),"
                        + " hlc INTEGER NOT NULL, seq INTEGER NOT NULL, applying INTEGER NOT NULL)",
                "INSERT OR IGNORE INTO _shuttle_clock (id, hlc, seq, applying) VALUES (0, 0, 0, 0)",
                // One entry per row (the latest write); pk holds the key value itself (BLOB affinity keeps
                // every value as it is) or, for composite keys, the quote()d parts joined by commas.
                "CREATE TABLE IF NOT EXISTS _shuttle_feed (tbl INTEGER NOT NULL, pk BLOB NOT NULL,"
                        + " seq INTEGER NOT NULL, op INTEGER NOT NULL, hlc INTEGER NOT NULL, origin INTEGER NOT NULL,"
                        + " version INTEGER NOT NULL, base INTEGER NOT NULL, scope BLOB,"
                        + " PRIMARY KEY (tbl, pk)) WITHOUT ROWID",
                "CREATE UNIQUE INDEX IF NOT EXISTS _shuttle_feed_seq ON _shuttle_feed (seq)",
                "CREATE TABLE IF NOT EXISTS _shuttle_colclock (tbl INTEGER NOT NULL, pk BLOB NOT NULL,"
                        + " col TEXT NOT NULL, hlc INTEGER NOT NULL, origin INTEGER NOT NULL,"
                        + " PRIMARY KEY (tbl, pk, col)) WITHOUT ROWID");
    }

    @Override
    public List<String> installTriggers(SyncedTable t) {
        String table = dialect.quote(t.name());
        List<String> replicated = t.replicatedColumns();
        List<String> sql = new ArrayList<>(dropStatements(t));

        sql.add("CREATE TRIGGER " + triggerName(t, "ins") + " AFTER INSERT ON " + table
                + " WHEN " + SILENT_UNLESS_LOCAL + " BEGIN " + feedUpsert(t, "NEW", OP_UPSERT)
                + columnClocks(t, replicated, null) + " END");

        String changed = replicated.stream()
                .map(c -> "OLD." + dialect.quote(c) + " IS NOT NEW." + dialect.quote(c))
                .collect(Collectors.joining(" OR "));
        sql.add("CREATE TRIGGER " + triggerName(t, "upd") + " AFTER UPDATE OF " + columnList(replicated) + " ON " + table
                + " WHEN " + SILENT_UNLESS_LOCAL + " AND (" + changed + ") BEGIN " + feedUpsert(t, "NEW", OP_UPSERT)
                + columnClocks(t, replicated, "OLD") + " END");

        String keyChanged = t.key().stream()
                .map(c -> "OLD." + dialect.quote(c) + " IS NOT NEW." + dialect.quote(c))
                .collect(Collectors.joining(" OR "));
        sql.add("CREATE TRIGGER " + triggerName(t, "key") + " AFTER UPDATE OF " + columnList(t.key()) + " ON " + table
                + " WHEN " + SILENT_UNLESS_LOCAL + " AND (" + keyChanged + ") BEGIN "
                + feedUpsert(t, "OLD", OP_DELETE) + " END");

        sql.add("CREATE TRIGGER " + triggerName(t, "del") + " AFTER DELETE ON " + table
                + " WHEN " + SILENT_UNLESS_LOCAL + " BEGIN " + feedUpsert(t, "OLD", OP_DELETE) + " END");
        return sql;
    }

    private String feedUpsert(SyncedTable t, String row, int op) {
        String scope = t.scopeColumn() == null ? "NULL" : row + "." + dialect.quote(t.scopeColumn());
        return "INSERT INTO _shuttle_feed (tbl, pk, seq, op, hlc, origin, version, base, scope)"
                + " SELECT " + t.id() + ", " + keyExpression(t, row) + ", " + NEXT_SEQ + ", " + op + ", " + NEXT_HLC + ", 0, 1, 0, " + scope
                + NEXT_FROM
                + " ON CONFLICT (tbl, pk) DO UPDATE SET seq = excluded.seq, op = excluded.op, hlc = excluded.hlc,"
                + " origin = 0, version = _shuttle_feed.version + 1,"
                + " base = CASE WHEN _shuttle_feed.origin = 0 THEN _shuttle_feed.base ELSE _shuttle_feed.version END,"
                + " scope = excluded.scope;";
    }

    /** Per-column stamps for FIELD_LWW tables: every written column (insert) or every changed one (update). */
    private String columnClocks(SyncedTable t, List<String> columns, String old) {
        if (t.policy() != ConflictPolicy.FIELD_LWW) {
            return "";
        }
        List<String> cols = columns.stream().filter(c -> !t.key().contains(c)).toList();
        if (cols.isEmpty()) {
            return "";
        }
        String choices = cols.stream()
                .map(c -> "SELECT " + io.shuttlebridge.core.dialect.Identifiers.literal(c) + " AS col"
                        + (old == null ? "" : " WHERE OLD." + dialect.quote(c) + " IS NOT NEW." + dialect.quote(c)))
                .collect(Collectors.joining(" UNION ALL "));
        return " INSERT INTO _shuttle_colclock (tbl, pk, col, hlc, origin) SELECT " + t.id() + ", "
                + keyExpression(t, "NEW") + ", c.col, f.hlc, 0 FROM _shuttle_feed f, (" + choices + ") c"
                + " WHERE f.tbl = " + t.id() + " AND f.pk = " + keyExpression(t, "NEW")
                + " ON CONFLICT (tbl, pk, col) DO UPDATE SET hlc = excluded.hlc, origin = 0;";
    }

    @Override
    public String keyExpression(SyncedTable t, String alias) {
        List<String> key = t.key();
        if (key.size() == 1) {
            return alias + "." + dialect.quote(key.get(0));
        }
        return key.stream().map(c -> "quote(" + alias + "." + dialect.quote(c) + ")").collect(Collectors.joining(" || ',' || "));
    }

    @Override
    public String keyParameterExpression(SyncedTable t) {
        return t.key().size() == 1 ? "?" : t.key().stream().map(c -> "quote(?)").collect(Collectors.joining(" || ',' || "));
    }

    @Override
    public List<Object> decodeKey(SyncedTable t, Object stored) {
        if (t.key().size() == 1) {
            return java.util.Collections.singletonList(stored instanceof Integer i ? Long.valueOf(i) : stored);
        }
        return SqlLiterals.parseList(String.valueOf(stored), t.key().size());
    }

    @Override
    public void dropTriggers(Connection c, SyncedTable t) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String sql : dropStatements(t)) {
                s.execute(sql);
            }
        }
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
                s.execute("DROP " + o[0].toUpperCase(java.util.Locale.ROOT) + " IF EXISTS " + dialect.quote(o[1]));
            }
        }
    }

    @Override
    public void beginApply(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            // the newest entry may be a local write; remember its stamp before applied entries follow it
            s.executeUpdate("UPDATE _shuttle_clock SET applying = 1, hlc = max(hlc,"
                    + " coalesce((SELECT hlc FROM _shuttle_feed ORDER BY seq DESC LIMIT 1), 0)) WHERE id = 0");
        }
    }

    @Override
    public void endApply(Connection c, long maxAppliedHlc) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE _shuttle_clock SET applying = 0, hlc = max(hlc, ?) WHERE id = 0")) {
            ps.setLong(1, maxAppliedHlc);
            ps.executeUpdate();
        }
    }

    @Override
    public String feedWriteSql(SyncedTable t) {
        return "INSERT INTO _shuttle_feed (tbl, pk, seq, op, hlc, origin, version, base, scope)"
                + " SELECT " + t.id() + ", " + keyParameterExpression(t) + ", " + NEXT_SEQ + ", ?, ?, ?, ?, ?, ?" + NEXT_FROM
                + " ON CONFLICT (tbl, pk) DO UPDATE SET seq = excluded.seq, op = excluded.op, hlc = excluded.hlc,"
                + " origin = excluded.origin, version = excluded.version, base = excluded.base, scope = excluded.scope";
    }

    @Override
    public long[] nextSeqAndHlc(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + NEXT_SEQ + ", " + NEXT_HLC + NEXT_FROM);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    @Override
    public void advanceClock(Connection c, long seqFloor, long hlc) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE _shuttle_clock SET seq = max(seq, ?), hlc = max(hlc, ?) WHERE id = 0")) {
            ps.setLong(1, seqFloor);
            ps.setLong(2, hlc);
            ps.executeUpdate();
        }
    }

    private String columnList(List<String> columns) {
        return columns.stream().map(dialect::quote).collect(Collectors.joining(", "));
    }

    private static String triggerName(SyncedTable t, String kind) {
        return "\"_shuttle_t" + t.id() + "_" + kind + "\"";
    }
}
