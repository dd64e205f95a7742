package io.shuttlebridge.core.internal.feed;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.change.Stamp;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.change.FeedEntry;
import io.shuttlebridge.core.internal.change.HandedOverValues;
import io.shuttlebridge.core.internal.dialect.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads the feed after a cursor: one entry per row, in {@code seq} order, with the row's current
 * values joined from its table. Call inside one transaction so feed and rows are one snapshot.
 */
public final class FeedReader {
    private static final int IN_CHUNK = 2000;

    private final Dialect dialect;
    private final SyncSchema schema;
    /** The nodes as known in memory, or null to read them with every page. */
    private final NodeNames names;

    public FeedReader(Dialect dialect, SyncSchema schema) {
        this(dialect, schema, null);
    }

    /** A reader that takes node uuids from {@code names}, reading the table only for a node it does not know. */
    public FeedReader(Dialect dialect, SyncSchema schema, NodeNames names) {
        this.dialect = dialect;
        this.schema = schema;
        this.names = names;
    }

    /**
     * What to read: after {@code afterSeq}, at most {@code limit}, skipping one origin, keeping only some
     * tables, and only the entries that satisfy {@code condition} (SQL over the feed entry {@code f},
     * with its arguments; null for all). {@code watched} and {@code leftOutOf} ask the page to tell, of
     * the range it read, which of those tables had an entry there ({@link Page#touched}) and which had
     * an upsert the page left out ({@link Page#leftOut}), read in the same statement as the page.
     */
    public record Query(
            long afterSeq,
            int limit,
            String excludePeer,
            Set<String> tables,
            String condition,
            List<Object> conditionArgs,
            Set<String> watched,
            Set<String> leftOutOf) {
        public Query(
                long afterSeq,
                int limit,
                String excludePeer,
                Set<String> tables,
                String condition,
                List<Object> conditionArgs) {
            this(afterSeq, limit, excludePeer, tables, condition, conditionArgs, Set.of(), Set.of());
        }

        public static Query after(long seq, int limit) {
            return new Query(seq, limit, null, Set.of(), null, List.of());
        }

        /** Only the entries for which {@code sql}, a condition over the feed entry {@code f}, holds. */
        public Query where(String sql, List<Object> args) {
            // a claim a token lacks is bound as NULL: the list may hold nulls
            return new Query(
                    afterSeq,
                    limit,
                    excludePeer,
                    tables,
                    sql,
                    Collections.unmodifiableList(new ArrayList<>(args)),
                    watched,
                    leftOutOf);
        }

        /**
         * Leaves out what came from the peer (write watermarking). An entry the peer wrote that reached
         * this replica another way, or that a hub sends back after refusing a later write, is included:
         * the peer counts it as a duplicate when it has it already.
         */
        public Query excludingPeer(String uuid) {
            return new Query(afterSeq, limit, uuid, tables, condition, conditionArgs, watched, leftOutOf);
        }

        public Query onlyTables(Set<String> names) {
            return new Query(
                    afterSeq, limit, excludePeer, Set.copyOf(names), condition, conditionArgs, watched, leftOutOf);
        }

        /**
         * Also tells which of the {@code watched} tables had an entry in the range the page read, whoever
         * wrote it and whether the page keeps it, and which of the {@code leftOutOf} tables had an upsert
         * there, not from the excluded peer, that the page left out. The watched tables' entries count
         * towards the limit, kept or not.
         */
        public Query watching(Set<String> watched, Set<String> leftOutOf) {
            return new Query(
                    afterSeq,
                    limit,
                    excludePeer,
                    tables,
                    condition,
                    conditionArgs,
                    Set.copyOf(watched),
                    Set.copyOf(leftOutOf));
        }

        boolean watches() {
            return !watched.isEmpty() || !leftOutOf.isEmpty();
        }
    }

    /**
     * A page of the feed; {@code lastSeq} is the highest seq scanned (advances even when every entry is
     * filtered out); {@code senders}, the nodes that sent the page's entries to this replica (their own
     * writes or ones they relayed; this replica's own writes have none); {@code touched} and {@code
     * leftOut}, what a {@linkplain Query#watching watching} query asked about the range up to {@code
     * lastSeq} (empty otherwise); {@code sentBy}, the node that sent each entry (in the order of {@code
     * entries}; null for this replica's own writes), or null when not kept; {@code onlyAdded}, the tables of
     * {@code touched} whose entries up to {@code lastSeq} were all rows' first writes made on this replica
     * itself (rows added, none changed or removed: {@link FeedRange#narrowing}), where a reader knows it
     * (empty otherwise: every touched table may have had rows changed or removed).
     */
    public record Page(
            List<FeedEntry> entries,
            long lastSeq,
            boolean more,
            Set<String> senders,
            Set<String> touched,
            Set<String> leftOut,
            List<String> sentBy,
            Set<String> onlyAdded) {
        public Page(
                List<FeedEntry> entries,
                long lastSeq,
                boolean more,
                Set<String> senders,
                Set<String> touched,
                Set<String> leftOut,
                List<String> sentBy) {
            this(entries, lastSeq, more, senders, touched, leftOut, sentBy, Set.of());
        }

        public Page(List<FeedEntry> entries, long lastSeq, boolean more, Set<String> senders) {
            this(entries, lastSeq, more, senders, Set.of(), Set.of(), null);
        }

        public Page(
                List<FeedEntry> entries,
                long lastSeq,
                boolean more,
                Set<String> senders,
                Set<String> touched,
                Set<String> leftOut) {
            this(entries, lastSeq, more, senders, touched, leftOut, null);
        }

        public Page(List<FeedEntry> entries, long lastSeq, boolean more) {
            this(entries, lastSeq, more, Set.of());
        }

        /**
         * This page without the entries {@code node} sent, as a query {@link Query#excludingPeer excluding}
         * it would leave them out; it reaches as far ({@code lastSeq}, {@code more}) as this page.
         */
        public Page without(String node) {
            if (!senders.contains(node)) {
                return this;
            }
            if (sentBy == null) {
                throw new IllegalStateException("the page does not say who sent its entries");
            }
            List<FeedEntry> kept = new ArrayList<>(entries.size());
            List<String> keptBy = new ArrayList<>(entries.size());
            for (int i = 0; i < entries.size(); i++) {
                if (!node.equals(sentBy.get(i))) {
                    kept.add(entries.get(i));
                    keptBy.add(sentBy.get(i));
                }
            }
            Set<String> others = new java.util.HashSet<>(senders);
            others.remove(node);
            return new Page(kept, lastSeq, more, others, touched, leftOut, keptBy, onlyAdded);
        }
    }

    /** Folds local writes made since the last read into the feed, then reads. */
    public Page read(Connection c, Query q) throws SQLException {
        dialect.capture().fold(c);
        return readFolded(c, q);
    }

    /** Reads what the feed holds now, without folding recent local writes into it. */
    public Page readFolded(Connection c, Query q) throws SQLException {
        List<Object[]> raw = new ArrayList<>();
        Set<String> senders = new java.util.HashSet<>();
        long lastSeq = q.afterSeq();
        boolean more;
        Map<Integer, String> nodes = names == null ? nodes(c) : names.get(c);
        boolean fresh = names == null;
        Integer excluded = null;
        if (q.excludePeer() != null) {
            excluded = idOf(nodes, q.excludePeer());
            if (excluded == null && !fresh) {
                nodes = names.refresh(c);
                fresh = true;
                excluded = idOf(nodes, q.excludePeer());
            }
        }
        FeedPageSql statement = FeedPageSql.of(schema, q, excluded);
        Set<String> touched = new java.util.HashSet<>();
        Set<String> leftOut = new java.util.HashSet<>();
        int scanned = 0;
        long top = q.afterSeq();
        try (PreparedStatement ps = c.prepareStatement(statement.sql())) {
            statement.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rs.getLong(3);
                    if (rs.wasNull()) {
                        int tbl = rs.getInt(1);
                        if (rs.wasNull()) {
                            top = Math.max(top, rs.getLong(FeedPageSql.TOP)); // the row with the feed's highest seq
                        } else if (rs.getLong(FeedPageSql.TOP) > 0) {
                            leftOut.add(schema.byId(tbl).name());
                        }
                        continue;
                    }
                    scanned++;
                    long seq = rs.getLong(3);
                    lastSeq = Math.max(lastSeq, seq);
                    SyncedTable t = schema.byId(rs.getInt(1));
                    int via = rs.getInt(9);
                    boolean sent = !rs.wasNull();
                    if (!fresh && ((sent && !nodes.containsKey(via)) || !nodes.containsKey(rs.getInt(6)))) {
                        nodes = names.refresh(c); // a node registered since they were read
                        fresh = true;
                    }
                    boolean fromExcluded = excluded != null && sent && via == excluded;
                    if (sent && nodes.containsKey(via)) {
                        senders.add(nodes.get(via));
                    }
                    if (q.watched().contains(t.name())) {
                        touched.add(t.name());
                    }
                    if (fromExcluded
                            || rs.getInt(FeedPageSql.KEEP) == 0
                            || (!q.tables().isEmpty() && !q.tables().contains(t.name()))) {
                        continue;
                    }
                    raw.add(rawEntry(rs, t, seq, nodes, sent ? nodes.get(via) : null));
                }
            }
        }
        raw.sort(Comparator.comparingLong(
                r -> (Long) r[2])); // in order already, unless a database interleaves the union
        more = scanned == q.limit();
        if (!more) {
            lastSeq = Math.max(lastSeq, top);
        }
        List<String> sentBy = new ArrayList<>(raw.size());
        List<FeedEntry> entries = entries(c, raw, sentBy);
        return new Page(entries, lastSeq, more, senders, Set.copyOf(touched), Set.copyOf(leftOut), sentBy);
    }

    /**
     * A feed row as read by a page's statement (table, stored key, seq, op, hlc, origin, version, base, the
     * node that sent it), its origin named; a numeric origin that {@code _shuttle_nodes} does not hold is an
     * internal error.
     */
    private static Object[] rawEntry(ResultSet rs, SyncedTable t, long seq, Map<Integer, String> nodes, String sentBy)
            throws SQLException {
        String origin = nodes.get(rs.getInt(6));
        if (origin == null) {
            throw new ShuttleException(
                    ErrorCode.INTERNAL,
                    "feed entry " + seq + " names origin node " + rs.getInt(6)
                            + ", which _shuttle_nodes does not hold");
        }
        return new Object[] {
            t, Jdbc.readValue(rs, 2), seq, rs.getInt(4), rs.getLong(5), origin, rs.getLong(7), rs.getLong(8), sentBy
        };
    }

    /**
     * Every entry after {@code afterSeq}, at most {@code limit}, none left out, as one statement reads them
     * (one snapshot), each with the row it is the entry of and the node that sent it; an upsert whose row
     * is gone (deleted after the feed was read: its delete entry follows) is there without its change. For
     * the pages many devices share ({@link FeedTail}).
     */
    public FeedTail.Read readTail(Connection c, long afterSeq, int limit) throws SQLException {
        Map<Integer, String> nodes = names == null ? nodes(c) : names.get(c);
        boolean fresh = names == null;
        FeedPageSql statement = FeedPageSql.of(schema, Query.after(afterSeq, limit), null);
        List<Object[]> raw = new ArrayList<>();
        long top = 0;
        try (PreparedStatement ps = c.prepareStatement(statement.sql())) {
            statement.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rs.getLong(3);
                    if (rs.wasNull()) {
                        top = Math.max(top, rs.getLong(FeedPageSql.TOP)); // the row with the feed's highest seq
                        continue;
                    }
                    long seq = rs.getLong(3);
                    SyncedTable t = schema.byId(rs.getInt(1));
                    int via = rs.getInt(9);
                    boolean sent = !rs.wasNull();
                    if (!fresh && ((sent && !nodes.containsKey(via)) || !nodes.containsKey(rs.getInt(6)))) {
                        nodes = names.refresh(c); // a node registered since they were read
                        fresh = true;
                    }
                    raw.add(rawEntry(rs, t, seq, nodes, sent ? nodes.get(via) : null));
                }
            }
        }
        raw.sort(Comparator.comparingLong(r -> (Long) r[2]));
        List<FeedEntry> entries = entries(c, raw, null, true);
        List<FeedTail.Entry> out = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            Object[] r = raw.get(i);
            out.add(new FeedTail.Entry(
                    (Long) r[2],
                    new FeedTail.Row(((SyncedTable) r[0]).id(), keyOf(r[1])),
                    (Long) r[4],
                    (String) r[8],
                    entries.get(i)));
        }
        return new FeedTail.Read(out, top, raw.size() == limit);
    }

    /**
     * The feed entries of {@code raw} ({@code {table, stored key, seq, op code, hlc, origin uuid, version,
     * base}}, in seq order) with the current values of their rows; an upsert whose row is gone is left
     * out (it was deleted after the feed was read: its delete entry follows).
     */
    List<FeedEntry> entries(Connection c, List<Object[]> raw) throws SQLException {
        return entries(c, raw, null);
    }

    /** {@link #entries(Connection, List)}, noting in {@code sentBy} (when not null) the node that sent each. */
    private List<FeedEntry> entries(Connection c, List<Object[]> raw, List<String> sentBy) throws SQLException {
        return entries(c, raw, sentBy, false);
    }

    /** {@link #entries(Connection, List, List)}; with {@code keepGone}, an upsert whose row is gone is a null in its place. */
    private List<FeedEntry> entries(Connection c, List<Object[]> raw, List<String> sentBy, boolean keepGone)
            throws SQLException {
        Map<SyncedTable, List<Object[]>> upserts = new LinkedHashMap<>();
        for (Object[] r : raw) {
            if (Op.ofCode((Integer) r[3]) == Op.UPSERT) {
                upserts.computeIfAbsent((SyncedTable) r[0], k -> new ArrayList<>())
                        .add(r);
            }
        }
        Map<SyncedTable, Map<Object, Map<String, Object>>> rows = new HashMap<>();
        Map<SyncedTable, Map<Object, Map<String, Stamp>>> stamps = new HashMap<>();
        for (var e : upserts.entrySet()) {
            String join = dialect.capture().rowOfFeedEntry(e.getKey(), "f", "t");
            long first = (Long) e.getValue().get(0)[2];
            long last = (Long) e.getValue().get(e.getValue().size() - 1)[2];
            // a range join reads every row of the table in the range: only when the page's entries fill most of it
            boolean dense = last - first < 2L * e.getValue().size();
            rows.put(
                    e.getKey(),
                    join != null && e.getValue().size() > 1 && dense
                            ? loadRowsInRange(c, e.getKey(), join, first - 1, last)
                            : loadRows(c, e.getKey(), e.getValue()));
            if (e.getKey().policy() == ConflictPolicy.FIELD_LWW) {
                stamps.put(
                        e.getKey(),
                        ColumnStamps.load(
                                c,
                                e.getKey(),
                                e.getValue().stream().map(r -> r[1]).toList()));
            }
        }
        List<FeedEntry> entries = new ArrayList<>(raw.size());
        for (Object[] r : raw) {
            SyncedTable t = (SyncedTable) r[0];
            Op op = Op.ofCode((Integer) r[3]);
            Map<String, Object> values = Map.of();
            if (op == Op.UPSERT) {
                values = rows.get(t).get(keyOf(r[1]));
                if (values == null) {
                    if (keepGone) {
                        entries.add(null);
                    }
                    continue; // deleted after the feed was read: its delete entry follows
                }
            }
            Map<String, Stamp> cs = stamps.getOrDefault(t, Map.of()).getOrDefault(keyOf(r[1]), Map.of());
            List<Object> key = dialect.capture().decodeKey(t, r[1]);
            entries.add(new FeedEntry(
                    (Long) r[2],
                    new Change(t.name(), key, op, values, (Long) r[4], (String) r[5], (Long) r[6], (Long) r[7], cs)));
            if (sentBy != null) {
                sentBy.add((String) r[8]);
            }
        }
        return entries;
    }

    /**
     * Loads current values of every row of the table whose feed entry lies in the seq range, keyed by
     * stored feed key: one scan of the feed's seq index with a primary-key lookup per row.
     */
    private Map<Object, Map<String, Object>> loadRowsInRange(
            Connection c, SyncedTable t, String join, long after, long through) throws SQLException {
        List<String> cols = t.replicatedColumns();
        String sql = "SELECT f.pk, "
                + cols.stream().map(col -> "t." + dialect.quote(col)).collect(Collectors.joining(", "))
                + " FROM _shuttle_feed f JOIN " + dialect.quote(t.name()) + " t ON " + join
                + " WHERE f.seq > ? AND f.seq <= ? AND +f.tbl = ?"; // + keeps the planner on the seq index
        Map<Object, Map<String, Object>> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, after);
            ps.setLong(2, through);
            ps.setInt(3, t.id());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(keyOf(Jdbc.readValue(rs, 1)), readRow(rs, cols));
                }
            }
        }
        return out;
    }

    static Map<String, Object> readRow(ResultSet rs, List<String> cols) throws SQLException {
        Map<String, Object> values = new HandedOverValues(cols.size());
        for (int k = 0; k < cols.size(); k++) {
            values.put(cols.get(k), Jdbc.readValue(rs, k + 2));
        }
        return values;
    }

    private static Integer idOf(Map<Integer, String> nodes, String uuid) {
        for (var n : nodes.entrySet()) {
            if (n.getValue().equals(uuid)) {
                return n.getKey();
            }
        }
        return null;
    }

    /** Node numbers to uuids (a small table: one row per node this replica has heard of). */
    static Map<Integer, String> nodes(Connection c) throws SQLException {
        Map<Integer, String> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, uuid FROM _shuttle_nodes");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getInt(1), rs.getString(2));
            }
        }
        return out;
    }

    /** Loads current values of the given rows, keyed by their stored feed key. */
    private Map<Object, Map<String, Object>> loadRows(Connection c, SyncedTable t, List<Object[]> entries)
            throws SQLException {
        List<String> cols = t.replicatedColumns();
        String select = "SELECT " + dialect.capture().keyExpression(t, "t") + ", "
                + cols.stream().map(col -> "t." + dialect.quote(col)).collect(Collectors.joining(", "))
                + " FROM " + dialect.quote(t.name()) + " t WHERE ";
        Map<Object, Map<String, Object>> out = new HashMap<>();
        for (int from = 0; from < entries.size(); from += IN_CHUNK) {
            List<Object[]> chunk = entries.subList(from, Math.min(entries.size(), from + IN_CHUNK));
            String sql = select + dialect.capture().storedKeysCondition(t, "t", chunk.size());
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                dialect.capture()
                        .bindStoredKeys(ps, 1, t, chunk.stream().map(r -> r[1]).toList());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(keyOf(Jdbc.readValue(rs, 1)), readRow(rs, cols));
                    }
                }
            }
        }
        return out;
    }

    /** Map key for a stored feed key (byte arrays compared by content). */
    public static Object keyOf(Object stored) {
        return stored instanceof byte[] b ? new BytesKey(b) : stored;
    }

    public record BytesKey(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof BytesKey other && Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }
}
