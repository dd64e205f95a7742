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
import java.util.HashMap;
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
            boolean exhausted = rows.read() < limit;
            return new Stretch(rows.entries(), exhausted ? null : rows.last(), exhausted, span);
        }
        List<FeedEntry> out = new ArrayList<>();
        Object lower = after;
        int width = Math.max(1, span);
        // whether a span of this width is expected to fill the page: read on from a cursor, the last stretch (of this
        // width) did; then the share of rows that qualified says so. A span expected to fall short (a table's first
        // stretch, a share too small for the widest span) is not read twice
        boolean filling = after != null;
        while (true) {
            int need = limit - out.size();
            Rows spanned = null;
            if (filling && dialect.streamsDerivedTables()) {
                // the next {@code width} keys read in one statement, whose last row read is where the next stretch
                // starts, without first finding the key {@code width} ahead
                spanned = spanRows(c, t, condition, lower, width, need);
                if (spanned.read() == need) {
                    out.addAll(spanned.entries());
                    return new Stretch(out, spanned.last(), false, width);
                }
            }
            Object upper = keyAhead(c, t, lower, width);
            if (upper == null && dialect.streamsDerivedTables()) {
                // fewer than {@code width} keys follow: a span of {@code width} keys holds every row left, read in key
                // order on the key index (a range open at its top end may be planned as a pass over the whole table,
                // as PostgreSQL did for a table's last tenth); a span read above already holds them
                Rows rest = spanned != null ? spanned : spanRows(c, t, condition, lower, width, need);
                out.addAll(rest.entries());
                return rest.read() == need
                        ? new Stretch(out, rest.last(), false, width)
                        : new Stretch(out, null, true, width);
            }
            Rows rows = rows(c, t, condition, lower, upper, need);
            out.addAll(rows.entries());
            if (rows.read() == need) {
                return new Stretch(out, rows.last(), false, width);
            }
            if (upper == null) {
                return new Stretch(out, null, true, width);
            }
            lower = upper;
            int matched = rows.entries().size();
            int next = nextSpan(width, matched, need - matched, limit);
            filling = matched > 0 && (long) next * matched >= (long) (need - matched) * width;
            width = next;
        }
    }

    /** A span expected to hold a little more than {@code need} qualifying rows, at the share the last one had. */
    static int nextSpan(int span, int matched, int need, int limit) {
        long next = matched == 0 ? 4L * span : (long) Math.ceil(span * (double) need / matched * 1.25);
        return (int) Math.max(limit, Math.min(next, (long) MAX_SPAN_PAGES * limit));
    }

    /**
     * A span fitted to pages of {@code fittedFor} rows (0: not known), for a page of {@code limit} rows: wider or
     * narrower in proportion, within the bounds {@link #nextSpan} keeps. Without it, a page ten times the size of
     * the one before would read its first span, find a tenth of its rows there, and read that stretch again.
     */
    public static int rescaled(int span, int fittedFor, int limit) {
        if (fittedFor <= 0 || fittedFor == limit) {
            return span;
        }
        long wide = (long) Math.ceil(span * (double) limit / fittedFor);
        return (int) Math.max(limit, Math.min(wide, (long) MAX_SPAN_PAGES * limit));
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

    /**
     * Rows read: their entries (a row whose feed entry is newer than the read is left out: the reader's
     * pulls from the snapshot's horizon bring it), how many rows the read went through, and the stored
     * key of the last.
     */
    private record Rows(List<FeedEntry> entries, int read, Object last, boolean followed) {}

    /** Feed keys looked up per statement: one statement of this width is prepared per table, the last chunk padded. */
    private static final int CHUNK = 1000;

    /**
     * At most {@code limit} qualifying rows with keys in ({@code lower}, {@code upper}], in key order, each
     * with its feed entry. The rows come in key order from the primary key index; their feed entries are
     * then looked up by key, many keys to a statement, through the feed's primary key. The feed's
     * highest seq is read first: an entry above it belongs to a write made after the rows were read (its
     * values may be newer than the row read), and is left to the pulls that follow the snapshot.
     */
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
        // the condition is evaluated in a scope of its own, where the table's columns are the only unqualified names
        String from =
                "(SELECT * FROM " + table + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where)) + ") t";
        return rows(c, t, from, limit, false, ps -> {
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
            return i;
        });
    }

    /**
     * At most {@code limit} rows satisfying {@code condition} among the {@code span} rows after {@code lower}
     * (null: from the first) in key order, each with its feed entry: the span read on the primary key index
     * and the condition evaluated over it, in one statement. When fewer than {@code limit} come back, which
     * keys the span reached is not known: the caller reads that stretch again as a range.
     */
    private Rows spanRows(Connection c, SyncedTable t, RowCondition condition, Object lower, int span, int limit)
            throws SQLException {
        String table = dialect.quote(t.name());
        String keys = t.key().stream().map(dialect::quote).collect(Collectors.joining(", "));
        // the span keeps the table's name, so that the condition reads its columns as it would the table's
        String from = "(SELECT * FROM (SELECT * FROM " + table
                + (lower == null ? "" : " WHERE " + dialect.capture().keyComparison(t, table, ">"))
                + " ORDER BY " + keys + " LIMIT ?) " + table + " WHERE (" + condition.sql() + ")) t";
        return rows(c, t, from, limit, false, ps -> {
            int i = 1;
            if (lower != null) {
                i = dialect.capture().bindKeyValues(ps, i, t, lower);
            }
            ps.setInt(i++, span);
            for (Object arg : condition.args()) {
                Jdbc.set(ps, i++, arg);
            }
            return i;
        });
    }

    /**
     * At most {@code limit} rows of {@code from}, a derived table {@code t} of {@code t}'s rows whose parameters
     * {@code binder} binds, in key order, each with its feed entry; {@link Stretch#after} is the stored key of
     * the last row read, and the stretch is exhausted when no row of {@code from} follows it (one row more is
     * read to know, so that a reader whose last page is full is not sent an empty one after it).
     */
    public Stretch readFrom(Connection c, SyncedTable t, String from, Binder binder, int limit) throws SQLException {
        if (nodes == null) {
            nodes = FeedReader.nodes(c);
        }
        Rows rows = rows(c, t, from, limit, true, binder);
        return new Stretch(rows.entries(), rows.last(), !rows.followed(), limit);
    }

    /** Binds a statement's parameters from the first and returns the index of the next. */
    @FunctionalInterface
    public interface Binder {
        int bind(PreparedStatement ps) throws SQLException;
    }

    /**
     * At most {@code limit} rows of {@code from} (a derived table {@code t} of {@code t}'s rows, whose parameters
     * {@code binder} binds) in key order, each with its feed entry; with {@code peek}, one more is read to tell
     * whether a row follows the last ({@link Rows#followed}, else false).
     */
    private Rows rows(Connection c, SyncedTable t, String from, int limit, boolean peek, Binder binder)
            throws SQLException {
        List<String> cols = t.replicatedColumns();
        long known = Feed.top(c);
        String sql = "SELECT " + dialect.capture().keyExpression(t, "t") + ", "
                + cols.stream().map(col -> "t." + dialect.quote(col)).collect(Collectors.joining(", "))
                + " FROM " + from + " ORDER BY "
                + t.key().stream().map(k -> "t." + dialect.quote(k)).collect(Collectors.joining(", "))
                + " LIMIT ?";
        List<Object> keys = new ArrayList<>();
        List<Map<String, Object>> values = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = binder.bind(ps);
            ps.setInt(i, peek ? limit + 1 : limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(Jdbc.readValue(rs, 1));
                    values.add(FeedReader.readRow(rs, cols));
                }
            }
        }
        boolean followed = keys.size() > limit;
        if (followed) {
            keys.remove(limit);
            values.remove(limit);
        }
        Map<Object, Object[]> feed = entries(c, t, keys);
        Map<Object, Map<String, Stamp>> stamps =
                t.policy() == ConflictPolicy.FIELD_LWW && !keys.isEmpty() ? ColumnStamps.load(c, t, keys) : Map.of();
        List<FeedEntry> entries = new ArrayList<>(keys.size());
        for (int k = 0; k < keys.size(); k++) {
            Object[] f = feed.get(FeedReader.keyOf(keys.get(k)));
            if (f == null || (Long) f[0] > known) {
                continue; // no entry yet (written, not folded), or one newer than the row read: the pulls bring it
            }
            String origin = nodes.get((Integer) f[2]);
            if (origin == null) {
                throw new ShuttleException(
                        ErrorCode.INTERNAL,
                        "feed entry " + f[0] + " names origin node " + f[2] + ", which _shuttle_nodes does not hold");
            }
            entries.add(new FeedEntry(
                    (Long) f[0],
                    new Change(
                            t.name(),
                            dialect.capture().decodeKey(t, keys.get(k)),
                            Op.UPSERT,
                            values.get(k),
                            (Long) f[1],
                            origin,
                            (Long) f[3],
                            (Long) f[4],
                            stamps.getOrDefault(FeedReader.keyOf(keys.get(k)), Map.of()))));
        }
        return new Rows(entries, keys.size(), keys.isEmpty() ? null : keys.get(keys.size() - 1), followed);
    }

    /** The upsert entries of {@code t} for stored keys {@code keys}: {@code {seq, hlc, origin, version, base}} by key. */
    private Map<Object, Object[]> entries(Connection c, SyncedTable t, List<Object> keys) throws SQLException {
        Map<Object, Object[]> out = new HashMap<>();
        if (keys.isEmpty()) {
            return out;
        }
        int width = Math.min(CHUNK, keys.size());
        String sql = "SELECT f.pk, f.seq, f.hlc, f.origin, f.version, " + EntryBase.of("f")
                + " FROM _shuttle_feed f WHERE f.tbl = ? AND f.op = " + Op.UPSERT.code() + " AND "
                + dialect.capture().feedKeysCondition("f.pk", width);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, t.id());
            for (int from = 0; from < keys.size(); from += width) {
                List<Object> part = new ArrayList<>(keys.subList(from, Math.min(keys.size(), from + width)));
                while (part.size() < width) {
                    part.add(keys.get(from)); // a short last chunk repeats a key: the condition ignores duplicates
                }
                dialect.capture().bindFeedKeys(ps, 2, part);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(FeedReader.keyOf(Jdbc.readValue(rs, 1)), new Object[] {
                            rs.getLong(2), rs.getLong(3), rs.getInt(4), rs.getLong(5), rs.getLong(6)
                        });
                    }
                }
            }
        }
        return out;
    }
}
