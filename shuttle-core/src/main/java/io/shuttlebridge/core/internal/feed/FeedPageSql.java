package io.shuttlebridge.core.internal.feed;

import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The one statement a page of the feed is read with ({@link FeedReader}), and its parameters. Its rows
 * are, in this order of columns: the page's entries ({@code tbl, pk, seq, op, hlc, origin, version,
 * base, via}, then {@code keep}: 0 for an entry of a watched table the page does not keep), one row
 * with the feed's highest seq (in {@code top}, every other column null), and for a {@linkplain
 * FeedReader.Query#watching watching} query one row per table asked about, with {@code tbl} and,
 * in {@code top}, how many of its upserts the page left out. Everything is read in one statement, so
 * from one snapshot of the feed: what the page says of its range is true of the entries it carries.
 */
final class FeedPageSql {
    /** Columns of an entry row; {@link #KEEP} and {@link #TOP} follow. */
    static final int KEEP = 10;

    static final int TOP = 11;

    private final String sql;
    private final List<Object> args;

    private FeedPageSql(String sql, List<Object> args) {
        this.sql = sql;
        this.args = args;
    }

    String sql() {
        return sql;
    }

    /** Binds the parameters from the first. */
    void bind(PreparedStatement ps) throws SQLException {
        int i = 1;
        for (Object arg : args) {
            Jdbc.set(ps, i++, arg);
        }
    }

    /** {@code excluded}: the number of the node whose entries the page leaves out, or null. */
    static FeedPageSql of(SyncSchema schema, FeedReader.Query q, Integer excluded) {
        return q.watches() ? watching(schema, q, excluded) : plain(q, excluded);
    }

    private static FeedPageSql plain(FeedReader.Query q, Integer excluded) {
        List<Object> args = new ArrayList<>();
        args.add(q.afterSeq());
        String keep = keep(q, excluded, args);
        args.add(q.limit());
        // What came from the excluded peer is left out by the query itself (a device that cloned a million rows
        // does not page through them to push nothing). The feed's highest seq, read by the same statement (one
        // snapshot), is how far the page reaches when it is not full: everything up to there was read or left out.
        String page = "SELECT " + ENTRY + " FROM _shuttle_feed f WHERE f.seq > ?"
                + (keep == null ? "" : " AND " + keep)
                + " ORDER BY f.seq LIMIT ?";
        return new FeedPageSql(
                "SELECT p.tbl, p.pk, p.seq, p.op, p.hlc, p.origin, p.version, p.base, p.via, 1 AS keep, NULL AS top"
                        + " FROM (" + page + ") p UNION ALL " + TOP_ROW,
                args);
    }

    /**
     * The page read with the entries of the watched tables whether it keeps them or not (they come
     * first in the condition, so the page's own condition is not evaluated for them), and for each
     * table asked about, its upserts in the page's range not from the excluded node counted up to one
     * more than the page keeps: the scan stops there, so a page that left many out costs one more row.
     */
    private static FeedPageSql watching(SyncSchema schema, FeedReader.Query q, Integer excluded) {
        List<Object> args = new ArrayList<>();
        String watched = q.watched().isEmpty() ? null : ids(schema, q.watched());
        String keepColumn = "1";
        if (watched != null) {
            keepColumn = "CASE WHEN f.tbl IN (" + watched + ") THEN CASE WHEN " + orTrue(keep(q, excluded, args))
                    + " THEN 1 ELSE 0 END ELSE 1 END";
        }
        args.add(q.afterSeq());
        String keep = keep(q, excluded, args);
        args.add(q.limit());
        String where = watched == null
                ? (keep == null ? "" : " AND " + keep)
                : keep == null ? "" : " AND (f.tbl IN (" + watched + ") OR " + keep + ")";
        StringBuilder sql = new StringBuilder("WITH p AS (SELECT ")
                .append(ENTRY)
                .append(", ")
                .append(keepColumn)
                .append(" AS keep FROM _shuttle_feed f WHERE f.seq > ?")
                .append(where)
                .append(" ORDER BY f.seq LIMIT ?)")
                .append(" SELECT p.tbl, p.pk, p.seq, p.op, p.hlc, p.origin, p.version, p.base, p.via, p.keep,")
                .append(" NULL AS top FROM p UNION ALL ")
                .append(TOP_ROW);
        for (String table : q.leftOutOf()) {
            int id = schema.require(table).id();
            String kept = "(SELECT count(*) FROM p WHERE p.tbl = " + id + " AND p.op = " + Op.UPSERT.code()
                    + " AND p.keep = 1)";
            // the range the page read: to its last entry when it is full, else to the feed's end
            String upto = "(CASE WHEN (SELECT count(*) FROM p) = ? THEN (SELECT max(seq) FROM p)"
                    + " ELSE (SELECT max(seq) FROM _shuttle_feed) END)";
            sql.append(" UNION ALL SELECT ")
                    .append(id)
                    .append(
                            ", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, (SELECT count(*) FROM (SELECT 1 AS one")
                    .append(" FROM _shuttle_feed g WHERE g.seq > ? AND g.seq <= ")
                    .append(upto)
                    .append(" AND g.tbl = ")
                    .append(id)
                    .append(" AND g.op = ")
                    .append(Op.UPSERT.code())
                    .append(excluded == null ? "" : " AND (g.via IS NULL OR g.via <> ?)")
                    .append(" LIMIT ")
                    .append(kept)
                    .append(" + 1) x) - ")
                    .append(kept);
            args.add(q.afterSeq());
            args.add(q.limit());
            if (excluded != null) {
                args.add(excluded);
            }
        }
        return new FeedPageSql(sql.toString(), args);
    }

    private static final String ENTRY =
            "f.tbl, f.pk, f.seq, f.op, f.hlc, f.origin, f.version, " + EntryBase.of("f") + " AS base, f.via";

    private static final String TOP_ROW =
            "SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, max(seq) FROM _shuttle_feed";

    /** The condition an entry is kept by (its arguments added to {@code args}), or null when every one is. */
    private static String keep(FeedReader.Query q, Integer excluded, List<Object> args) {
        List<String> parts = new ArrayList<>();
        if (excluded != null) {
            parts.add("(f.via IS NULL OR f.via <> ?)");
            args.add(excluded);
        }
        if (q.condition() != null) {
            parts.add("(" + q.condition() + ")");
            args.addAll(q.conditionArgs());
        }
        return parts.isEmpty() ? null : "(" + String.join(" AND ", parts) + ")";
    }

    private static String orTrue(String condition) {
        return condition == null ? "1=1" : condition;
    }

    private static String ids(SyncSchema schema, java.util.Set<String> tables) {
        return tables.stream()
                .map(t -> String.valueOf(schema.require(t).id()))
                .sorted()
                .collect(Collectors.joining(", "));
    }
}
