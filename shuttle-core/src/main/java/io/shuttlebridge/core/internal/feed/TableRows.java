package io.shuttlebridge.core.internal.feed;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.change.Stamp;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.change.FeedEntry;
import io.shuttlebridge.core.internal.dialect.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads the rows of one table that satisfy a condition, in primary-key order after a key, each with
 * its feed entry: a keyset scan that the table's primary key index serves, so that a reader that may
 * have a tenth of a table reads that tenth and steps over the rest once, instead of going through the
 * feed entries of rows it may not have. Call inside one transaction, after the capture log was folded
 * (every row then has its feed entry).
 *
 * <p>With a condition, the scan goes through stretches of {@code span} keys (the key {@code span} rows
 * ahead is found on the index alone): the database evaluates the condition over a bounded range, which
 * it plans well whatever it guesses of the condition's selectivity, and never reads past the range for
 * a page it has filled. The span adapts to the share of rows that qualified.
 */
public final class TableRows {
    /** The span never grows beyond this many times the page size (bounds the work of one range). */
    private static final int MAX_SPAN_PAGES = 32;

    private final Dialect dialect;
    private Map<Integer, String> nodes;

    /** A reader for one transaction. */
    public TableRows(Dialect dialect) {
        this.dialect = dialect;
    }

    /**
     * What one read gave: the rows in key order; the stored feed key to read on after (null when the
     * table is exhausted); and the span to scan with next.
     */
    public record Stretch(List<FeedEntry> entries, Object after, boolean exhausted, int span) {}

    /**
     * At most {@code limit} rows of {@code t} that satisfy {@code condition}, after the row whose stored feed
     * key is {@code after} (null: from the first), starting with stretches of {@code span} keys.
     */
    public Stretch read(Connection c, SyncedTable t, RowCondition condition, Object after, int limit, int span)
            throws SQLException {
        if (nodes == null) {
            nodes = FeedReader.nodes(c);
        }
        if (condition.all()) {
            Rows rows = rows(c, t, condition, after, null, limit);
            boolean exhausted = rows.entries().size() < limit;
            return new Stretch(rows.entries(), exhausted ? null : rows.last(), exhausted, span);
        }
        List<FeedEntry> out = new ArrayList<>();
        Object lower = after;
        int width = Math.max(1, span);
        while (true) {
            int need = limit - out.size();
            Object upper = keyAhead(c, t, lower, width);
            Rows rows = rows(c, t, condition, lower, upper, need);
            out.addAll(rows.entries());
            if (rows.entries().size() == need) {
                return new Stretch(out, rows.last(), false, width);
            }
            if (upper == null) {
                return new Stretch(out, null, true, width);
            }
            lower = upper;
            width = nextSpan(width, rows.entries().size(), need - rows.entries().size(), limit);
        }
    }

    /** A span expected to hold a little more than {@code need} qualifying rows, at the share the last one had. */
    static int nextSpan(int span, int matched, int need, int limit) {
        long next = matched == 0 ? 4L * span : (long) Math.ceil(span * (double) need / matched * 1.25);
        return (int) Math.max(limit, Math.min(next, (long) MAX_SPAN_PAGES * limit));
    }

    /** The stored key of the {@code span}-th row after {@code after} in key order, or null when fewer follow. */
    private Object keyAhead(Connection c, SyncedTable t, Object after, int span) throws SQLException {
        String cols = t.key().stream().map(k -> "t." + dialect.quote(k)).collect(Collectors.joining(", "));
        String sql = "SELECT " + dialect.capture().keyExpression(t, "x") + " FROM (SELECT " + cols + " FROM "
                + dialect.quote(t.name()) + " t"
                + (after == null ? "" : " WHERE " + dialect.capture().keyComparison(t, "t", ">"))
                + " ORDER BY " + cols + " LIMIT 1 OFFSET ?) x";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (after != null) {
                i = dialect.capture().bindKeyValues(ps, i, t, after);
            }
            ps.setInt(i, span - 1);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Jdbc.readValue(rs, 1) : null;
            }
        }
    }

    /** Rows read and the stored key of the last. */
    private record Rows(List<FeedEntry> entries, Object last) {}

    /** At most {@code limit} qualifying rows with keys in ({@code lower}, {@code upper}], in key order. */
    private Rows rows(Connection c, SyncedTable t, RowCondition condition, Object lower, Object upper, int limit)
            throws SQLException {
        String table = dialect.quote(t.name());
        List<String> where = new ArrayList<>();
        if (!condition.all()) {
            where.add("(" + condition.sql() + ")");
        }
        if (lower != null) {
            where.add(dialect.capture().keyComparison(t, table, ">"));
        }
        if (upper != null) {
            where.add(dialect.capture().keyComparison(t, table, "<="));
        }
        List<String> cols = t.replicatedColumns();
        // the condition is evaluated in a scope of its own, where the table's columns are the only unqualified
        // names (a column named like one of the feed's is not ambiguous); the rows come in key order from the
        // primary key index and find their feed entries through the feed's primary key
        String sql = "SELECT f.pk, "
                + cols.stream().map(col -> "t." + dialect.quote(col)).collect(Collectors.joining(", "))
                + ", f.seq, f.hlc, f.origin, f.version, " + EntryBase.of("f")
                + " FROM (SELECT * FROM " + table + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                + ") t CROSS JOIN _shuttle_feed f"
                + " WHERE f.tbl = ? AND f.pk = " + dialect.capture().feedKeyMatch(t, "t") + " AND f.op = "
                + Op.UPSERT.code()
                + " ORDER BY "
                + t.key().stream().map(k -> "t." + dialect.quote(k)).collect(Collectors.joining(", "))
                + " LIMIT ?";
        List<Object[]> raw = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            for (Object arg : condition.args()) {
                Jdbc.set(ps, i++, arg);
            }
            if (lower != null) {
                i = dialect.capture().bindKeyValues(ps, i, t, lower);
            }
            if (upper != null) {
                i = dialect.capture().bindKeyValues(ps, i, t, upper);
            }
            ps.setInt(i++, t.id());
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
                int n = cols.size();
                while (rs.next()) {
                    raw.add(new Object[] {
                        Jdbc.readValue(rs, 1),
                        FeedReader.readRow(rs, cols),
                        rs.getLong(n + 2),
                        rs.getLong(n + 3),
                        rs.getInt(n + 4),
                        rs.getLong(n + 5),
                        rs.getLong(n + 6)
                    });
                }
            }
        }
        Map<Object, Map<String, Stamp>> stamps = t.policy() == ConflictPolicy.FIELD_LWW && !raw.isEmpty()
                ? ColumnStamps.load(c, t, raw.stream().map(r -> r[0]).toList())
                : Map.of();
        List<FeedEntry> entries = new ArrayList<>(raw.size());
        for (Object[] r : raw) {
            String origin = nodes.get((Integer) r[4]);
            if (origin == null) {
                throw new ShuttleException(
                        ErrorCode.INTERNAL,
                        "feed entry " + r[2] + " names origin node " + r[4] + ", which _shuttle_nodes does not hold");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> values = (Map<String, Object>) r[1];
            entries.add(new FeedEntry(
                    (Long) r[2],
                    new Change(
                            t.name(),
                            dialect.capture().decodeKey(t, r[0]),
                            Op.UPSERT,
                            values,
                            (Long) r[3],
                            origin,
                            (Long) r[5],
                            (Long) r[6],
                            stamps.getOrDefault(FeedReader.keyOf(r[0]), Map.of()))));
        }
        return new Rows(entries, raw.isEmpty() ? null : raw.get(raw.size() - 1)[0]);
    }
}
