package io.shuttlebridge.core.internal.dialect.postgres;

import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.dialect.CaptureLog;
import io.shuttlebridge.core.internal.dialect.FeedSql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The capture log on PostgreSQL and its fold into the feed.
 *
 * <p><b>Feed order.</b> The fold ({@code _shuttle_fold()}, one statement under the transaction-scoped
 * advisory lock {@link #LOCK_CLASS}) moves every committed log row into {@code _shuttle_feed} and
 * gives the feed entries fresh seqs from {@code _shuttle_clock}. Because folds are serialized by
 * the lock, which is released only after the folding transaction's commit is visible, feed seqs
 * become visible in increasing order: a puller reading {@code seq > cursor} never skips an entry,
 * even when the writers' transactions commit in another order than their log seqs.
 *
 * <p><b>Stamps.</b> As on SQLite, the fold turns write times into hybrid logical clock stamps in
 * log order: entry {@code i} gets the greater of its own time and the previous stamp plus one,
 * starting from the clock's last stamp, and every received stamp moves the clock too. Column stamps
 * of FIELD_LWW tables waiting for their write's stamp get it in the same statement, looked up by the
 * write's row (the first columns of their key), never by a scan of every row's column stamps.
 */
final class PostgresFold implements CaptureLog {
    /** First half of the advisory lock key held while folding ('shut'); the second is the schema's hash. */
    static final int LOCK_CLASS = 0x73687574;

    /**
     * The fold, created with the metadata. Every hub process listening on the feed channel hears of
     * the new entries when the folding transaction commits.
     */
    static final String FUNCTION = """
            CREATE OR REPLACE FUNCTION _shuttle_fold() RETURNS bigint LANGUAGE plpgsql SET search_path FROM CURRENT AS $fold$
            DECLARE folded bigint;
            BEGIN
              PERFORM pg_advisory_xact_lock(%d, hashtext(current_schema()));
              IF NOT EXISTS (SELECT 1 FROM _shuttle_log) THEN RETURN 0; END IF;
              WITH moved AS (DELETE FROM _shuttle_log RETURNING *),
              clock AS (SELECT seq, hlc FROM _shuttle_clock WHERE id = 1),
              ordered AS (SELECT m.*, row_number() OVER (ORDER BY m.seq) AS rn FROM moved m),
              stamped AS (SELECT o.*, CASE WHEN o.origin IS NULL THEN o.rn + greatest((SELECT hlc FROM clock),
                max(o.hlc - o.rn) OVER (ORDER BY o.rn ROWS UNBOUNDED PRECEDING)) ELSE o.hlc END AS stamp FROM ordered o),
              grouped AS (SELECT tbl, pk, max(rn) AS rn, count(*) AS n FROM stamped WHERE tbl > 0 GROUP BY tbl, pk),
              latest AS (SELECT s.*, g.n, row_number() OVER (ORDER BY s.rn) AS fn FROM grouped g JOIN stamped s ON s.rn = g.rn),
              feed AS (%s
                SELECT l.tbl, l.pk, (SELECT seq FROM clock) + l.fn, l.op, l.stamp, coalesce(l.origin, 0),
                  %s,
                  %s,
                  l.scope, l.via
                FROM latest l LEFT JOIN _shuttle_feed f ON f.tbl = l.tbl AND f.pk = l.pk
                %s RETURNING 1),
              cols AS (UPDATE _shuttle_colclock c SET hlc = s.stamp, origin = 0 FROM stamped s
                WHERE c.tbl = s.tbl AND c.pk = s.pk AND c.origin = %d AND c.hlc = s.seq RETURNING 1)
              UPDATE _shuttle_clock SET seq = seq + (SELECT count(*) FROM latest),
                hlc = greatest(hlc, coalesce((SELECT max(stamp) FROM stamped), hlc)) WHERE id = 1;
              GET DIAGNOSTICS folded = ROW_COUNT;
              PERFORM pg_notify('%s', %s);
              RETURN folded;
            END $fold$""".formatted(
                    LOCK_CLASS,
                    FeedSql.INSERT_ENTRIES,
                    FeedSql.foldedVersion("l.n"),
                    FeedSql.FOLDED_BASE,
                    FeedSql.ENTRY_REPLACES,
                    FeedSql.PENDING_ORIGIN,
                    PostgresDialect.FEED_CHANNEL,
                    FeedNotice.payload("(SELECT seq FROM _shuttle_clock WHERE id = 1)"));

    private final PostgresKeys keys;

    PostgresFold(PostgresKeys keys) {
        this.keys = keys;
    }

    @Override
    public void fold(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT _shuttle_fold()")) {
            rs.next();
        }
    }

    /**
     * The fold only when the log holds rows (the function is volatile: {@code CASE} calls it only then), so
     * a reader takes the fold lock only when there is something to fold.
     */
    @Override
    public void foldForReading(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT CASE WHEN EXISTS (SELECT 1 FROM _shuttle_log) THEN _shuttle_fold() ELSE 0 END")) {
            rs.next();
        }
    }

    @Override
    public void logLocalWrite(Connection c, SyncedTable t, List<Object> key) throws SQLException {
        FeedSql.logLocalWrite(c, keys, t, key, PostgresClock.WALL_STAMP);
    }
}
