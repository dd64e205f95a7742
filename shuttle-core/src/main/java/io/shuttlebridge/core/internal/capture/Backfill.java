package io.shuttlebridge.core.internal.capture;

import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.dialect.ClockPosition;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.dialect.Dialects;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Puts rows that exist before capture was enabled into the feed, in key order and in chunks (one
 * transaction each), so a large table shows progress and an interrupted backfill simply continues
 * the next time: rows that already have a feed entry are skipped.
 */
public final class Backfill {
    static final int CHUNK = 50_000;

    private final ShuttleDatabase db;
    private final SyncedTable table;
    private final Dialect dialect;

    public Backfill(ShuttleDatabase db, SyncedTable table) {
        this.db = db;
        this.table = table;
        this.dialect = Dialects.of(db);
    }

    public long run(ProgressListener progress) {
        String task = "backfill " + table.name();
        String from = dialect.quote(table.name());
        long total =
                db.read(c -> Jdbc.queryLong(c, "SELECT count(*) FROM " + from).orElse(0L));
        String keyTuple =
                tuple(table.key().stream().map(k -> "t." + dialect.quote(k)).toList());
        String params = tuple(table.key().stream().map(k -> "?").toList());
        String scope = table.scopeColumn() == null ? "NULL" : "t." + dialect.quote(table.scopeColumn());
        String boundarySql = "SELECT "
                + String.join(
                        ", ",
                        table.key().stream().map(k -> "t." + dialect.quote(k)).toList()) + " FROM " + from
                + " t %s ORDER BY " + orderBy() + " LIMIT 1 OFFSET " + (CHUNK - 1);
        String insertSql = "INSERT INTO _shuttle_feed (tbl, pk, seq, op, hlc, origin, version, base, scope)"
                + " SELECT " + table.id() + ", " + dialect.capture().keyExpression(table, "t")
                + ", ? + row_number() OVER (ORDER BY " + orderBy() + "), 1, ? + row_number() OVER (ORDER BY "
                + orderBy() + ") - 1,"
                + " 0, 1, 0, " + scope + " FROM " + from + " t WHERE %s AND NOT EXISTS (SELECT 1 FROM _shuttle_feed f"
                + " WHERE f.tbl = " + table.id() + " AND f.pk = "
                + dialect.capture().feedKeyMatch(table, "t") + ")";

        long done = 0;
        long inserted = 0;
        List<Object> lower = null;
        progress.progress(task, 0, total);
        while (true) {
            final List<Object> lo = lower;
            List<Object> upper = db.read(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        String.format(boundarySql, lo == null ? "" : "WHERE " + keyTuple + " > " + params))) {
                    bindAll(ps, 1, lo);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            return null;
                        }
                        List<Object> key = new ArrayList<>();
                        for (int i = 1; i <= table.key().size(); i++) {
                            key.add(Jdbc.readValue(rs, i));
                        }
                        return key;
                    }
                }
            });
            String range = (lo == null ? "true" : keyTuple + " > " + params)
                    + (upper == null ? "" : " AND " + keyTuple + " <= " + params);
            inserted += db.transaction(c -> {
                dialect.capture().fold(c);
                ClockPosition clock = dialect.capture().nextSeqAndHlc(c);
                long seq0 = clock.seq() - 1;
                long hlc0 = clock.hlc();
                int n;
                try (PreparedStatement ps = c.prepareStatement(String.format(insertSql, range))) {
                    ps.setLong(1, seq0);
                    ps.setLong(2, hlc0);
                    int next = bindAll(ps, 3, lo);
                    bindAll(ps, next, upper);
                    n = ps.executeUpdate();
                }
                if (n > 0) {
                    dialect.capture().advanceClock(c, seq0 + n, hlc0 + n - 1);
                }
                return (long) n;
            });
            if (upper == null) {
                progress.progress(task, total, total);
                return inserted;
            }
            done += CHUNK;
            progress.progress(task, Math.min(done, total), total);
            lower = upper;
        }
    }

    private String orderBy() {
        return table.key().stream().map(k -> "t." + dialect.quote(k)).collect(Collectors.joining(", "));
    }

    private static String tuple(List<String> parts) {
        return parts.size() == 1 ? parts.get(0) : "(" + String.join(", ", parts) + ")";
    }

    private static int bindAll(PreparedStatement ps, int from, List<Object> values) throws SQLException {
        if (values == null) {
            return from;
        }
        for (Object v : values) {
            ps.setObject(from++, v);
        }
        return from;
    }
}
