package io.shuttlebridge.core.internal.dialect.sqlite;

import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.dialect.CaptureLog;
import io.shuttlebridge.core.internal.dialect.FeedKeys;
import io.shuttlebridge.core.internal.dialect.FeedSql;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The capture log on SQLite and its fold into the feed. The triggers append to the log
 * {@code _shuttle_log} (a rowid table, so an append at its end) with the wall-clock time of the
 * write. {@link #fold} turns those times into hybrid logical clock stamps in log order — entry
 * {@code i} gets {@code seq_i + max over j <= i of (time_j - seq_j)}, which is the greater of its
 * own time and the previous stamp plus one, the same stamp a clock ticking at each write would
 * have given — and moves the log into the feed {@code _shuttle_feed}, one entry per row with its
 * version, in set-based statements. The log always keeps its newest row (a marker once folded; see
 * {@link SqliteClock}). The engine folds before it reads or applies. Column stamps of FIELD_LWW
 * tables are resolved by the same fold.
 */
final class SqliteFold implements CaptureLog {
    /** Forgets every log row but the newest, the clock's marker. */
    static final String KEEP_NEWEST = "DELETE FROM _shuttle_log WHERE seq < (SELECT max(seq) FROM _shuttle_log)";

    /** Whether the log holds more than its marker: 2 when it does. */
    private static final String PENDING = "SELECT count(*) FROM (SELECT 1 FROM _shuttle_log LIMIT 2)";

    private static final String STAMPS_TABLE =
            "CREATE TEMP TABLE IF NOT EXISTS _shuttle_stamps (seq INTEGER PRIMARY KEY, hlc INTEGER NOT NULL)";

    /** The stamp of every log row, local writes' times turned into stamps in log order. */
    private static final String STAMPS = """
            INSERT INTO temp._shuttle_stamps (seq, hlc) SELECT seq,
              CASE WHEN origin IS NULL THEN seq + max(hlc - seq) OVER (ORDER BY seq ROWS UNBOUNDED PRECEDING) ELSE hlc END
            FROM _shuttle_log""";

    /** The latest log row of every row into the feed, with its stamp and version. */
    private static final String FOLD = """
            %s
            SELECT l.tbl, l.pk, l.seq, l.op, s.hlc, coalesce(l.origin, 0),
              %s,
              %s,
              l.scope, l.via
            FROM (SELECT max(seq) AS seq, count(*) AS n FROM _shuttle_log WHERE tbl > 0 GROUP BY tbl, pk) g
              JOIN _shuttle_log l ON l.seq = g.seq JOIN temp._shuttle_stamps s ON s.seq = l.seq
              LEFT JOIN _shuttle_feed f ON f.tbl = l.tbl AND f.pk = l.pk WHERE true
            %s""".formatted(
                    FeedSql.INSERT_ENTRIES, FeedSql.foldedVersion("g.n"), FeedSql.FOLDED_BASE, FeedSql.ENTRY_REPLACES);

    /** Column stamps waiting for their write's stamp get it. */
    static final String COLUMN_STAMPS = """
            UPDATE _shuttle_colclock
              SET hlc = (SELECT s.hlc FROM temp._shuttle_stamps s WHERE s.seq = _shuttle_colclock.hlc), origin = 0
              WHERE origin = %d""".formatted(FeedSql.PENDING_ORIGIN);

    /** The newest log row becomes the marker: no write of its own, the last stamp. */
    private static final String TO_MARKER = """
            UPDATE _shuttle_log SET tbl = 0, pk = NULL, scope = NULL, origin = NULL, version = NULL, via = NULL, base = NULL,
              hlc = (SELECT s.hlc FROM temp._shuttle_stamps s WHERE s.seq = _shuttle_log.seq)""";

    private final FeedKeys keys;

    SqliteFold(FeedKeys keys) {
        this.keys = keys;
    }

    @Override
    public void fold(Connection c) throws SQLException {
        long pending = Jdbc.queryLong(c, PENDING).orElse(0L);
        if (pending < 2) {
            return; // only the marker
        }
        try (Statement s = c.createStatement()) {
            s.execute(STAMPS_TABLE);
            s.executeUpdate("DELETE FROM temp._shuttle_stamps");
            s.executeUpdate(STAMPS);
            s.executeUpdate(FOLD);
            s.executeUpdate(COLUMN_STAMPS);
            s.executeUpdate(KEEP_NEWEST);
            s.executeUpdate(TO_MARKER);
            s.executeUpdate("DELETE FROM temp._shuttle_stamps");
        }
    }

    @Override
    public void logLocalWrite(Connection c, SyncedTable t, List<Object> key) throws SQLException {
        FeedSql.logLocalWrite(c, keys, t, key, SqliteClock.WALL_STAMP);
    }
}
