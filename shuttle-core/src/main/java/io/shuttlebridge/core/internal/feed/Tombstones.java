package io.shuttlebridge.core.internal.feed;

import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import io.shuttlebridge.core.internal.change.FeedEntry;
import io.shuttlebridge.core.internal.dialect.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where the feed's tombstones (delete entries) lie, by seq and table, kept in memory so that a
 * snapshot of some tables (sync rules' filtered snapshot, a reconcile's table snapshot) finds its
 * tombstones without a pass over the whole feed: the feed is read for deletes once, then only past
 * what was read before. A tombstone that has since left the feed (purged, or its row written again,
 * which moves the row's entry to a new seq) is dropped when its entry is read, and a new one always
 * has a seq past what was read. Past {@link #MAX} tombstones it stops keeping them and reads the
 * feed each time. Safe for concurrent use.
 */
public final class Tombstones {
    /** Tombstones kept at most. */
    static final int MAX = 2_000_000;

    /** Entries read per statement when taking the entries of known tombstones. */
    private static final int CHUNK = 1000;

    private final Dialect dialect;
    private final SyncSchema schema;
    private long through = -1;
    private long[] seqs = new long[64];
    private int[] tables = new int[64];
    private int n;
    private boolean overflow;

    public Tombstones(Dialect dialect, SyncSchema schema) {
        this.dialect = dialect;
        this.schema = schema;
    }

    /**
     * The tombstones of the tables numbered {@code ids} with seqs in ({@code after}, {@code horizon}], in
     * seq order, at most {@code limit}: a page whose {@code lastSeq} is where the next one starts when
     * {@code more}.
     */
    public FeedReader.Page read(Connection c, Set<Integer> ids, long after, long horizon, int limit)
            throws SQLException {
        FeedReader reader = new FeedReader(dialect, schema);
        long[] candidates;
        synchronized (this) {
            if (!overflow) {
                catchUp(c);
            }
            if (overflow) {
                return reader.readFolded(
                        c,
                        FeedReader.Query.after(after, limit)
                                .where(
                                        "f.op = " + Op.DELETE.code() + " AND f.seq <= ? AND f.tbl IN ("
                                                + ids.stream()
                                                        .map(String::valueOf)
                                                        .collect(Collectors.joining(", "))
                                                + ")",
                                        List.of(horizon)));
            }
            candidates = between(ids, after, horizon);
        }
        List<FeedEntry> out = new ArrayList<>();
        int next = 0;
        while (out.size() < limit && next < candidates.length) {
            int to = Math.min(candidates.length, next + Math.min(CHUNK, limit - out.size()));
            out.addAll(entries(c, reader, Arrays.copyOfRange(candidates, next, to)));
            next = to;
        }
        boolean more = next < candidates.length;
        return new FeedReader.Page(out, more ? candidates[next - 1] : Math.max(after, horizon), more);
    }

    /** Reads the deletes past {@link #through} up to the feed's end; the first time, the whole feed's. */
    private void catchUp(Connection c) throws SQLException {
        long top = Feed.top(c);
        if (top <= through) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT f.seq, f.tbl FROM _shuttle_feed f WHERE f.op = "
                + Op.DELETE.code() + " AND f.seq > ? AND f.seq <= ? ORDER BY f.seq")) {
            ps.setLong(1, through);
            ps.setLong(2, top);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (n == MAX) {
                        overflow = true; // too many to keep: the feed is read each time
                        seqs = new long[0];
                        tables = new int[0];
                        n = 0;
                        return;
                    }
                    if (n == seqs.length) {
                        seqs = Arrays.copyOf(seqs, n * 2);
                        tables = Arrays.copyOf(tables, n * 2);
                    }
                    seqs[n] = rs.getLong(1);
                    tables[n++] = rs.getInt(2);
                }
            }
        }
        through = top;
    }

    /** The known tombstones of {@code ids} in ({@code after}, {@code horizon}], in seq order. */
    private long[] between(Set<Integer> ids, long after, long horizon) {
        int from = Arrays.binarySearch(seqs, 0, n, after);
        from = from < 0 ? -from - 1 : from + 1;
        long[] out = new long[16];
        int k = 0;
        for (int i = from; i < n && seqs[i] <= horizon; i++) {
            if (ids.contains(tables[i])) {
                if (k == out.length) {
                    out = Arrays.copyOf(out, k * 2);
                }
                out[k++] = seqs[i];
            }
        }
        return Arrays.copyOf(out, k);
    }

    /** The entries at {@code at} (seqs, in order) that are still tombstones. */
    private static List<FeedEntry> entries(Connection c, FeedReader reader, long[] at) throws SQLException {
        String list = Arrays.stream(at).mapToObj(String::valueOf).collect(Collectors.joining(", "));
        return reader.readFolded(
                        c,
                        FeedReader.Query.after(at[0] - 1, at.length)
                                .where("f.op = " + Op.DELETE.code() + " AND f.seq IN (" + list + ")", List.of()))
                .entries();
    }
}
