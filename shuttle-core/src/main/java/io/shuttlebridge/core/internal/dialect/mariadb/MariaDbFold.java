package io.shuttlebridge.core.internal.dialect.mariadb;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.dialect.CaptureLog;
import io.shuttlebridge.core.internal.dialect.FeedSql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The capture log on MariaDB and its fold into the feed.
 *
 * <p><b>Feed order.</b> A fold first locks the clock row ({@code SELECT ... FOR UPDATE}, held to the end
 * of its transaction: the fold lock), then reads the log rows committed so far and its own with a locking read
 * that skips rows other transactions hold ({@code FOR UPDATE SKIP LOCKED}: the latest committed rows
 * whatever the transaction's isolation level and snapshot, and never a wait for a writer whose log rows
 * are not committed yet: their turn is the next fold), gives their entries fresh seqs from the clock, and
 * deletes exactly those log rows by their keys. Folds are serialized by the lock and each one releases
 * it only when its commit is visible, so feed seqs become visible in increasing order: a puller reading
 * {@code seq > cursor} never skips an entry, whatever order the writers committed in. This is
 * PostgreSQL's advisory lock, on a row.
 *
 * <p><b>Stamps.</b> As on PostgreSQL: entry {@code i} of the log, in log order, gets the greater of its
 * own time and the previous stamp plus one, starting from the clock's last stamp; received stamps are
 * kept and move the clock. Column stamps of FIELD_LWW tables waiting for their write's stamp get it, looked up
 * by the write's row.
 */
final class MariaDbFold implements CaptureLog {
    private static final String LOCK = "SELECT seq, hlc FROM _shuttle_clock WHERE id = 1 FOR UPDATE";

    private static final String LOG =
            "SELECT seq, tbl, pk, op, hlc, scope, origin, version, via, base FROM _shuttle_log ORDER BY seq"
                    + " FOR UPDATE SKIP LOCKED";

    private static final String FOLDING = """
            CREATE TEMPORARY TABLE IF NOT EXISTS _shuttle_folding (seq BIGINT NOT NULL, tbl INT NOT NULL,
              pk VARCHAR(700) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NOT NULL, op INT NOT NULL,
              stamp BIGINT NOT NULL, scope TEXT, origin INT, version BIGINT, via INT, base BIGINT, n BIGINT NOT NULL)
              ENGINE=InnoDB""";

    /** The latest write of every row into the feed, with its stamp and version. */
    private static final String FOLD = """
            %s
            SELECT l.tbl, l.pk, l.seq, l.op, l.stamp, coalesce(l.origin, 0),
              %s,
              %s,
              l.scope, l.via
            FROM _shuttle_folding l LEFT JOIN _shuttle_feed f ON f.tbl = l.tbl AND f.pk = l.pk
            %s""".formatted(
                    FeedSql.INSERT_ENTRIES, FeedSql.foldedVersion("l.n"), FeedSql.FOLDED_BASE, FeedSql.ENTRY_REPLACES);

    /** The pending column stamps of one write read from the log: its row's stamps, looked up by key. */
    private static final String COLUMN_STAMPS = """
            UPDATE _shuttle_colclock SET hlc = ?, origin = 0 WHERE tbl = ? AND pk = ? AND origin = %d AND hlc = ?""".formatted(FeedSql.PENDING_ORIGIN);

    private static final String DELETE_ONE = "DELETE FROM _shuttle_log WHERE seq = ?";

    private static final int CHUNK = 500;

    private final MariaDbKeys keys;

    MariaDbFold(MariaDbKeys keys) {
        this.keys = keys;
    }

    /** One row of the log, with the stamp the fold gives it. */
    private record Logged(
            long seq,
            int tbl,
            String pk,
            int op,
            long hlc,
            String scope,
            Integer origin,
            Long version,
            Integer via,
            Long base) {}

    @Override
    public void fold(Connection c) throws SQLException {
        long clockSeq;
        long clockHlc;
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(LOCK)) {
            rs.next();
            clockSeq = rs.getLong(1);
            clockHlc = rs.getLong(2);
        }
        List<Logged> log = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(LOG)) {
            while (rs.next()) {
                log.add(new Logged(
                        rs.getLong(1),
                        rs.getInt(2),
                        rs.getString(3),
                        rs.getInt(4),
                        rs.getLong(5),
                        rs.getString(6),
                        (Integer) rs.getObject(7, Integer.class),
                        (Long) rs.getObject(8, Long.class),
                        (Integer) rs.getObject(9, Integer.class),
                        (Long) rs.getObject(10, Long.class)));
            }
        }
        if (log.isEmpty()) {
            return;
        }
        // stamps in log order: rn + max(clock, max over j <= i of (hlc_j - rn_j)) for local writes
        long[] stamps = new long[log.size()];
        long running = clockHlc;
        long maxStamp = clockHlc;
        for (int i = 0; i < log.size(); i++) {
            Logged l = log.get(i);
            long rn = i + 1;
            running = Math.max(running, l.hlc() - rn);
            stamps[i] = l.origin() == null ? rn + running : l.hlc();
            maxStamp = Math.max(maxStamp, stamps[i]);
        }
        // the latest write of every row, in the order of those latest writes, with the number of writes
        Map<String, Integer> latest = new LinkedHashMap<>();
        Map<String, Integer> writes = new LinkedHashMap<>();
        for (int i = 0; i < log.size(); i++) {
            Logged l = log.get(i);
            if (l.tbl() > 0) {
                String row = l.tbl() + ":" + l.pk();
                latest.remove(row);
                latest.put(row, i);
                writes.merge(row, 1, Integer::sum);
            }
        }
        List<Integer> order = new ArrayList<>(latest.values());
        Collections.sort(order);
        try (Statement s = c.createStatement()) {
            s.execute(FOLDING);
            s.executeUpdate("DELETE FROM _shuttle_folding");
        }
        long seq = clockSeq;
        List<Object[]> rows = new ArrayList<>(order.size());
        for (int i : order) {
            Logged l = log.get(i);
            rows.add(new Object[] {
                ++seq,
                l.tbl(),
                l.pk(),
                l.op(),
                stamps[i],
                l.scope(),
                l.origin(),
                l.version(),
                l.via(),
                l.base(),
                (long) writes.get(l.tbl() + ":" + l.pk())
            });
        }
        insertRows(
                c,
                "INSERT INTO _shuttle_folding (seq, tbl, pk, op, stamp, scope, origin, version, via, base, n) VALUES ",
                11,
                rows);
        Jdbc.update(c, FOLD);
        Set<Integer> stamped = columnStampedTables(c, log);
        if (!stamped.isEmpty()) {
            stampColumns(c, log, stamps, stamped);
        }
        deleteRead(c, log);
        Jdbc.update(
                c,
                "UPDATE _shuttle_clock SET seq = seq + ?, hlc = greatest(hlc, ?) WHERE id = 1",
                (long) order.size(),
                maxStamp);
    }

    /**
     * Gives the pending column stamps of the writes read their stamps, looked up by each write's row ({@code tbl,
     * pk}, the key's first columns), never by a join that scans the column stamps: such a scan waits for the stamps
     * another session wrote and has not committed (a program's open transaction), while holding the fold lock and
     * the stamps it updated so far; that session writing one of those next would make a deadlock.
     */
    private static void stampColumns(Connection c, List<Logged> log, long[] stamps, Set<Integer> tables)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(COLUMN_STAMPS)) {
            int batched = 0;
            for (int i = 0; i < log.size(); i++) {
                Logged l = log.get(i);
                if (!tables.contains(l.tbl()) || l.pk() == null) {
                    continue;
                }
                ps.setLong(1, stamps[i]);
                ps.setInt(2, l.tbl());
                ps.setString(3, l.pk());
                ps.setLong(4, l.seq());
                ps.addBatch();
                if (++batched % CHUNK == 0) {
                    ps.executeBatch();
                }
            }
            if (batched % CHUNK != 0) {
                ps.executeBatch();
            }
        }
    }

    /**
     * The tables among the writes read from the log whose writes leave column stamps waiting for the fold (their
     * policy is FIELD_LWW: their triggers stamp each written column), from the engine's few rows of tables. Not
     * a search of the column stamps for waiting ones: nothing serves it but a scan of every row's stamps, on
     * every fold.
     */
    private static Set<Integer> columnStampedTables(Connection c, List<Logged> log) throws SQLException {
        Set<Integer> logged = new TreeSet<>();
        for (Logged l : log) {
            if (l.tbl() > 0) {
                logged.add(l.tbl());
            }
        }
        Set<Integer> out = new TreeSet<>();
        if (logged.isEmpty()) {
            return out;
        }
        String ids = logged.stream().map(String::valueOf).collect(Collectors.joining(", "));
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id FROM _shuttle_tables WHERE policy = '"
                        + ConflictPolicy.FIELD_LWW.name() + "' AND id IN (" + ids + ")")) {
            while (rs.next()) {
                out.add(rs.getInt(1));
            }
        }
        return out;
    }

    /**
     * Deletes exactly the log rows read, one primary-key lookup each. Not {@code seq IN (...)} nor a range:
     * on a small log the optimizer scans the table for those, locking on its way rows that writers hold
     * and have not committed, and such a writer waiting for the fold lock makes a deadlock.
     */
    private static void deleteRead(Connection c, List<Logged> log) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(DELETE_ONE)) {
            for (int from = 0; from < log.size(); from += CHUNK) {
                for (Logged l : log.subList(from, Math.min(log.size(), from + CHUNK))) {
                    ps.setLong(1, l.seq());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }

    /** Inserts rows of {@code width} values with multi-row statements of at most {@link #CHUNK} rows. */
    static void insertRows(Connection c, String insert, int width, List<Object[]> rows) throws SQLException {
        String one = "(" + String.join(", ", Collections.nCopies(width, "?")) + ")";
        for (int from = 0; from < rows.size(); from += CHUNK) {
            List<Object[]> part = rows.subList(from, Math.min(rows.size(), from + CHUNK));
            try (PreparedStatement ps =
                    c.prepareStatement(insert + String.join(", ", Collections.nCopies(part.size(), one)))) {
                int p = 1;
                for (Object[] row : part) {
                    for (Object v : row) {
                        Jdbc.set(ps, p++, v);
                    }
                }
                ps.executeUpdate();
            }
        }
    }

    /** The fold only when the log holds committed rows: a reader takes the fold lock only when there is something to fold. */
    @Override
    public void foldForReading(Connection c) throws SQLException {
        if (Jdbc.queryLong(c, "SELECT 1 FROM _shuttle_log LIMIT 1").isPresent()) {
            fold(c);
        }
    }

    @Override
    public void logLocalWrite(Connection c, SyncedTable t, List<Object> key) throws SQLException {
        FeedSql.logLocalWrite(c, keys, t, key, MariaDbClock.WALL_STAMP);
    }
}
