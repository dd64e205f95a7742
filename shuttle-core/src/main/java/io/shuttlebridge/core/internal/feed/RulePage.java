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
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One device's pull page under sync rules (DESIGN §9), from a {@link FeedRange} the devices pulling
 * from the same cursor share: the range's entries every device gets, and the upserts of each table read
 * through a predicate that the subject may read, found from its readable rows through the feed's
 * primary key ({@code (SELECT * FROM t WHERE predicate) JOIN _shuttle_feed ON key}, which the database
 * may also run the other way round, from the feed's entries to the rows, when the subject's rows are
 * many), only for the tables with upserts in the range, and the deletes of rows the subject could read
 * when they were deleted ({@link OldRows}). The device's own changes are left out. The page
 * tells which of the tables the predicates read had entries in its range ({@link FeedReader.Page#touched})
 * and which tables' upserts or deletes it left out ({@link FeedReader.Page#leftOut}).
 */
public final class RulePage {
    private final Dialect dialect;
    private final SyncSchema schema;

    public RulePage(Dialect dialect, SyncSchema schema) {
        this.dialect = dialect;
        this.schema = schema;
    }

    /** Ranges one pull page may look through, at most: a page of few rows costs one round trip, not many. */
    static final int MAX_RANGES = 16;

    /** Reads the range after a seq, at the feed position of the page being read. */
    @FunctionalInterface
    public interface RangeAfter {
        FeedRange read(long since) throws SQLException;
    }

    /**
     * {@link #read} of {@code first}, continued over the ranges that follow it ({@code next} reads them,
     * up to {@link #MAX_RANGES} in all) while the page holds less than half of {@code limit}: a subject that
     * may read few of the feed's entries gets pages of its changes, not one page, mostly empty, per {@code
     * limit} entries of everyone's. The page reaches as far as the last range it took whole.
     */
    public FeedReader.Page readOnward(
            Connection c, FeedRange first, RangeAfter next, int limit, Map<String, RowCondition> byRule, String node)
            throws SQLException {
        List<FeedEntry> entries = new ArrayList<>();
        Set<String> touched = new HashSet<>();
        Set<String> leftOut = new HashSet<>();
        Set<String> narrowed = new HashSet<>();
        FeedRange range = first;
        for (int taken = 1; ; taken++) {
            FeedReader.Page p = read(c, range, limit - entries.size(), byRule, node);
            entries.addAll(p.entries());
            touched.addAll(p.touched());
            leftOut.addAll(p.leftOut());
            p.touched().stream().filter(t -> !p.onlyAdded().contains(t)).forEach(narrowed::add);
            boolean cut = p.lastSeq() != range.lastSeq;
            if (!p.more() || cut || entries.size() * 2 >= limit || taken == MAX_RANGES) {
                Set<String> onlyAdded = new HashSet<>(touched);
                onlyAdded.removeAll(narrowed);
                return new FeedReader.Page(entries, p.lastSeq(), p.more(), Set.of(), touched, leftOut, null, onlyAdded);
            }
            range = next.read(p.lastSeq());
        }
    }

    /**
     * At most {@code limit} changes of {@code range} for {@code node}, whose subject reads the tables of
     * {@code byRule} through their conditions.
     */
    public FeedReader.Page read(Connection c, FeedRange range, int limit, Map<String, RowCondition> byRule, String node)
            throws SQLException {
        Integer excluded = range.nodeIds.get(node); // a node heard of only later sent nothing in the range
        List<Object[]> common = new ArrayList<>();
        for (Object[] r : range.common) {
            if (excluded == null || (Integer) r[8] != excluded.intValue()) {
                common.add(r);
            }
        }
        // the deletes of rows the subject could read as they were when deleted (their old-row images)
        Map<String, List<Long>> withheld = new HashMap<>();
        for (var e : range.deletes.entrySet()) {
            RowCondition condition = byRule.get(e.getKey());
            List<Object[]> candidates = new ArrayList<>();
            for (Object[] r : e.getValue()) {
                if (excluded == null || (Integer) r[8] != excluded.intValue()) {
                    candidates.add(r);
                }
            }
            if (condition == null || candidates.isEmpty()) {
                continue;
            }
            Set<Long> readable = OldRows.readable(
                    c,
                    dialect,
                    schema.require(e.getKey()),
                    condition,
                    candidates.stream().map(r -> (Long) r[2]).toList());
            for (Object[] r : candidates) {
                if (readable.contains((Long) r[2])) {
                    common.add(r);
                } else {
                    withheld.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add((Long) r[2]);
                }
            }
        }
        common.sort(Comparator.comparingLong(r -> (Long) r[2]));
        List<FeedEntry> own = new ArrayList<>();
        boolean planned = false;
        for (var e : byRule.entrySet()) {
            if (!hasUpserts(range, e.getKey(), excluded)) {
                continue;
            }
            SyncedTable t = schema.require(e.getKey());
            List<FeedEntry> mine = fromRows(c, range, t, e.getValue(), excluded, limit);
            if (mine == null) {
                if (!planned) {
                    dialect.planForValues(c); // the subject's rows, or the range's entries: whichever are fewer
                    planned = true;
                }
                mine = readable(c, range, t, e.getValue(), excluded, limit);
            }
            own.addAll(mine);
        }
        // the first `limit` of the two, in seq order
        List<Long> seqs = new ArrayList<>(common.size() + own.size());
        common.forEach(r -> seqs.add((Long) r[2]));
        own.forEach(f -> seqs.add(f.seq()));
        seqs.sort(null);
        boolean cut = seqs.size() > limit;
        long lastSeq = cut ? seqs.get(limit - 1) : range.lastSeq;
        List<Object[]> commonIn =
                common.stream().filter(r -> (Long) r[2] <= lastSeq).toList();
        List<FeedEntry> entries = new ArrayList<>(new FeedReader(dialect, schema).entries(c, commonIn));
        Map<String, Set<Long>> delivered = new HashMap<>();
        for (FeedEntry f : own) {
            if (f.seq() <= lastSeq) {
                entries.add(f);
                delivered
                        .computeIfAbsent(f.change().table(), k -> new HashSet<>())
                        .add(f.seq());
            }
        }
        entries.sort(Comparator.comparingLong(FeedEntry::seq));
        Set<String> touched = new HashSet<>();
        range.watched.forEach((t, s) -> {
            if (s.length > 0 && s[0] <= lastSeq) {
                touched.add(t);
            }
        });
        Set<String> onlyAdded = new HashSet<>(touched);
        range.narrowing.forEach((t, s) -> {
            if (s.length > 0 && s[0] <= lastSeq) {
                onlyAdded.remove(t);
            }
        });
        Set<String> leftOut = new HashSet<>();
        for (String t : byRule.keySet()) {
            if (leftOut(range, t, excluded, lastSeq, delivered.getOrDefault(t, Set.of()))
                    || withheld.getOrDefault(t, List.of()).stream().anyMatch(s -> s <= lastSeq)) {
                leftOut.add(t);
            }
        }
        return new FeedReader.Page(entries, lastSeq, cut || range.more, Set.of(), touched, leftOut, null, onlyAdded);
    }

    private static boolean hasUpserts(FeedRange range, String table, Integer excluded) {
        FeedRange.Upserts u = range.upserts.get(table);
        if (u == null) {
            return false;
        }
        for (int i = 0; i < u.n; i++) {
            if (excluded == null || u.vias[i] != excluded) {
                return true;
            }
        }
        return false;
    }

    /** Whether an upsert of {@code table} up to {@code lastSeq}, not from the device, is not in the page. */
    private static boolean leftOut(FeedRange range, String table, Integer excluded, long lastSeq, Set<Long> kept) {
        FeedRange.Upserts u = range.upserts.get(table);
        if (u == null) {
            return false;
        }
        for (int i = 0; i < u.n && u.seqs[i] <= lastSeq; i++) {
            if ((excluded == null || u.vias[i] != excluded) && !kept.contains(u.seqs[i])) {
                return true;
            }
        }
        return false;
    }

    /** Readable rows read whole before the feed is joined instead: at least this many, or twice the range's upserts. */
    static final int FEW_ROWS = 256;

    /**
     * The upserts of {@code t} in the range whose rows satisfy {@code condition}, from the subject's rows
     * themselves when it may read few of them (no more than {@link #FEW_ROWS}, or twice the range's upserts
     * of the table): they are read whole, and those whose key the range has an upsert of are the page's.
     * Null when it may read more: {@link #readable} then looks them up through the feed.
     */
    private List<FeedEntry> fromRows(
            Connection c, FeedRange range, SyncedTable t, RowCondition condition, Integer excluded, int limit)
            throws SQLException {
        FeedRange.Upserts u = range.upserts.get(t.name());
        int cap = Math.max(FEW_ROWS, 2 * u.n);
        List<String> cols = t.replicatedColumns();
        String sql = "SELECT " + dialect.capture().keyExpression(t, "t") + ", "
                + cols.stream().map(col -> "t." + dialect.quote(col)).collect(Collectors.joining(", "))
                + " FROM (SELECT * FROM " + dialect.quote(t.name())
                + (condition.all() ? "" : " WHERE (" + condition.sql() + ")") + ") t LIMIT ?";
        List<Object[]> raw = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            for (Object arg : condition.args()) {
                Jdbc.set(ps, i++, arg);
            }
            ps.setInt(i, cap + 1);
            try (ResultSet rs = ps.executeQuery()) {
                int read = 0;
                while (rs.next()) {
                    if (++read > cap) {
                        return null;
                    }
                    Object key = Jdbc.readValue(rs, 1);
                    int at = u.indexOfKey(key);
                    if (at >= 0 && (excluded == null || u.vias[at] != excluded)) {
                        raw.add(new Object[] {key, FeedReader.readRow(rs, cols), u.seqs[at]});
                    }
                }
            }
        }
        raw.sort(Comparator.comparingLong(r -> (Long) r[2]));
        return entries(c, range, t, raw.subList(0, Math.min(limit, raw.size())));
    }

    /**
     * The upserts of {@code t} in the range whose rows satisfy {@code condition}, not from the device, in
     * seq order, at most {@code limit}, with the rows' values; what the feed entries say besides is the
     * range's.
     */
    private List<FeedEntry> readable(
            Connection c, FeedRange range, SyncedTable t, RowCondition condition, Integer excluded, int limit)
            throws SQLException {
        List<String> cols = t.replicatedColumns();
        // the condition is evaluated in a scope of its own, where the table's columns are the only unqualified
        // names (a column named like one of the feed's is not ambiguous)
        String sql = "SELECT f.seq, f.pk, "
                + cols.stream().map(col -> "t." + dialect.quote(col)).collect(Collectors.joining(", "))
                + " FROM (SELECT * FROM " + dialect.quote(t.name())
                + (condition.all() ? "" : " WHERE (" + condition.sql() + ")")
                + ") t CROSS JOIN _shuttle_feed f"
                + " WHERE f.tbl = ? AND f.pk = " + dialect.capture().feedKeyMatch(t, "t") + " AND f.op = "
                + Op.UPSERT.code() + " AND f.seq > ? AND f.seq <= ?"
                + (excluded == null ? "" : " AND (f.via IS NULL OR f.via <> ?)")
                + " ORDER BY f.seq LIMIT ?";
        FeedRange.Upserts u = range.upserts.get(t.name());
        List<Object[]> raw = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            for (Object arg : condition.args()) {
                Jdbc.set(ps, i++, arg);
            }
            ps.setInt(i++, t.id());
            ps.setLong(i++, range.since);
            ps.setLong(i++, range.lastSeq);
            if (excluded != null) {
                ps.setInt(i++, excluded);
            }
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long seq = rs.getLong(1);
                    if (u.indexOf(seq) >= 0) { // the range knows every upsert up to its end
                        raw.add(new Object[] {Jdbc.readValue(rs, 2), readRow(rs, cols), seq});
                    }
                }
            }
        }
        return entries(c, range, t, raw);
    }

    /** Feed entries of {@code t} from {@code {stored key, values, seq}}, with what the range says of each seq. */
    private List<FeedEntry> entries(Connection c, FeedRange range, SyncedTable t, List<Object[]> raw)
            throws SQLException {
        FeedRange.Upserts u = range.upserts.get(t.name());
        Map<Object, Map<String, Stamp>> stamps = t.policy() == ConflictPolicy.FIELD_LWW && !raw.isEmpty()
                ? ColumnStamps.load(c, t, raw.stream().map(r -> r[0]).toList())
                : Map.of();
        List<FeedEntry> out = new ArrayList<>(raw.size());
        for (Object[] r : raw) {
            long seq = (Long) r[2];
            int at = u.indexOf(seq);
            String origin = range.nodes.get(u.origins[at]);
            if (origin == null) {
                throw new ShuttleException(
                        ErrorCode.INTERNAL,
                        "feed entry " + seq + " names origin node " + u.origins[at]
                                + ", which _shuttle_nodes does not hold");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> values = (Map<String, Object>) r[1];
            out.add(new FeedEntry(
                    seq,
                    new Change(
                            t.name(),
                            dialect.capture().decodeKey(t, r[0]),
                            Op.UPSERT,
                            values,
                            u.hlcs[at],
                            origin,
                            u.versions[at],
                            u.bases[at],
                            stamps.getOrDefault(FeedReader.keyOf(r[0]), Map.of()))));
        }
        return out;
    }

    /** The row's values from the columns after the first two. */
    private static Map<String, Object> readRow(ResultSet rs, List<String> cols) throws SQLException {
        Map<String, Object> values = new HandedOverValues(cols.size());
        for (int k = 0; k < cols.size(); k++) {
            values.put(cols.get(k), Jdbc.readValue(rs, k + 3));
        }
        return values;
    }
}
