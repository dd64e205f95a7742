package io.shuttlebridge.core.internal.feed;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A stretch of the feed after a cursor, as far as sync rules' pulls of every subject have it in common
 * (DESIGN §9): the entries every device that may read their table gets (all of a table read whole),
 * the deletes of the tables read through a predicate (each device gets those its predicate lets it
 * read as the rows were when deleted), and where the others lie (the upserts of the
 * tables read through a predicate, by seq and by the node they came through; the entries of the
 * tables the predicates read). Read once for every device that pulls from the same cursor at the same
 * feed position ({@link FeedRanges}); each then looks up only the rows its own predicate lets it read
 * ({@link RulePage}). Immutable.
 */
public final class FeedRange {
    /** How far the range reaches: to its last entry when {@link #more}, else to the feed position it was read at. */
    final long lastSeq;

    final long since;
    final boolean more;
    /** The entries every device that may read their table gets: {@code {table, key, seq, op, hlc, origin, version, base, via}}. */
    final List<Object[]> common;
    /**
     * The deletes of each table read through a predicate, as {@link #common}'s entries, in seq order: each
     * device gets those whose old-row image its predicate lets it read ({@link OldRows}).
     */
    final Map<String, List<Object[]>> deletes;
    /** The upserts of each table read through a predicate, in seq order. */
    final Map<String, Upserts> upserts;
    /** Seqs, in order, of the entries of each table a predicate reads, whoever wrote them. */
    final Map<String, long[]> watched;
    /**
     * Of {@link #watched}, the seqs of the entries that may have taken a row out of what a predicate reads:
     * every entry but a row's first write made on this hub itself (an upsert of version 1, from no device),
     * which only adds a row that was not there before. A predicate that reads the table only through
     * sub-selects without negation can then let a subject read more rows, never fewer ({@code moved in}).
     */
    final Map<String, long[]> narrowing;
    /** The node numbers of this replica, to uuids, as known when the range was read, and back. */
    final Map<Integer, String> nodes;

    final Map<String, Integer> nodeIds;

    private FeedRange(
            long since,
            long lastSeq,
            boolean more,
            List<Object[]> common,
            Map<String, List<Object[]>> deletes,
            Map<String, Upserts> upserts,
            Map<String, long[]> watched,
            Map<String, long[]> narrowing,
            Map<Integer, String> nodes) {
        this.since = since;
        this.lastSeq = lastSeq;
        this.more = more;
        this.common = common;
        this.deletes = deletes;
        this.upserts = upserts;
        this.watched = watched;
        this.narrowing = narrowing;
        this.nodes = nodes;
        Map<String, Integer> ids = new HashMap<>();
        nodes.forEach((id, uuid) -> ids.put(uuid, id));
        this.nodeIds = Map.copyOf(ids);
    }

    /**
     * Reads at most {@code cap} entries after {@code since} and up to {@code position} (the feed's highest
     * seq, read before in the same transaction) of the tables read whole ({@code whole}), read through a
     * predicate ({@code byRule}) or read by a predicate ({@code watched}).
     */
    public static FeedRange read(
            Connection c,
            SyncSchema schema,
            long since,
            int cap,
            long position,
            Set<String> whole,
            Set<String> byRule,
            Set<String> watched)
            throws SQLException {
        Set<String> relevant = new LinkedHashSet<>(whole);
        relevant.addAll(byRule);
        relevant.addAll(watched);
        Map<Integer, String> nodes = FeedReader.nodes(c);
        List<Object[]> common = new ArrayList<>();
        Map<String, List<Object[]>> deletes = new HashMap<>();
        Map<String, Upserts> upserts = new HashMap<>();
        Map<String, Seqs> seen = new HashMap<>();
        Map<String, Seqs> narrowed = new HashMap<>();
        int scanned = 0;
        long last = since;
        if (!relevant.isEmpty() && position > since) {
            String sql = "SELECT f.tbl, f.pk, f.seq, f.op, f.hlc, f.origin, f.version, " + EntryBase.of("f")
                    + " AS base, f.via FROM _shuttle_feed f WHERE f.seq > ? AND f.seq <= ? AND f.tbl IN ("
                    + relevant.stream()
                            .map(t -> String.valueOf(schema.require(t).id()))
                            .sorted()
                            .collect(Collectors.joining(", "))
                    + ") ORDER BY f.seq LIMIT ?";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, since);
                ps.setLong(2, position);
                ps.setInt(3, cap);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        scanned++;
                        SyncedTable t = schema.byId(rs.getInt(1));
                        long seq = rs.getLong(3);
                        last = seq;
                        int op = rs.getInt(4);
                        int via = rs.getInt(9);
                        if (rs.wasNull()) {
                            via = -1;
                        }
                        if (watched.contains(t.name())) {
                            seen.computeIfAbsent(t.name(), k -> new Seqs()).add(seq);
                            boolean firstLocalWrite =
                                    op == Op.UPSERT.code() && rs.getLong(7) == 1 && rs.getInt(6) == 0 && via == -1;
                            if (!firstLocalWrite) {
                                narrowed.computeIfAbsent(t.name(), k -> new Seqs())
                                        .add(seq);
                            }
                        }
                        boolean everyone = whole.contains(t.name());
                        boolean ruledDelete = byRule.contains(t.name()) && op != Op.UPSERT.code();
                        if (byRule.contains(t.name()) && op == Op.UPSERT.code()) {
                            upserts.computeIfAbsent(t.name(), k -> new Upserts())
                                    .add(
                                            Jdbc.readValue(rs, 2),
                                            seq,
                                            via,
                                            rs.getLong(5),
                                            rs.getInt(6),
                                            rs.getLong(7),
                                            rs.getLong(8));
                        } else if (everyone || ruledDelete) {
                            String origin = nodes.get(rs.getInt(6));
                            if (origin == null) {
                                throw new ShuttleException(
                                        ErrorCode.INTERNAL,
                                        "feed entry " + seq + " names origin node " + rs.getInt(6)
                                                + ", which _shuttle_nodes does not hold");
                            }
                            Object[] entry = {
                                t,
                                Jdbc.readValue(rs, 2),
                                seq,
                                op,
                                rs.getLong(5),
                                origin,
                                rs.getLong(7),
                                rs.getLong(8),
                                via
                            };
                            if (everyone) {
                                common.add(entry);
                            } else {
                                deletes.computeIfAbsent(t.name(), k -> new ArrayList<>())
                                        .add(entry);
                            }
                        }
                    }
                }
            }
        }
        boolean more = scanned == cap;
        upserts.values().forEach(Upserts::trim);
        Map<String, long[]> watchedSeqs = new HashMap<>();
        seen.forEach((t, s) -> watchedSeqs.put(t, s.seqs()));
        Map<String, long[]> narrowingSeqs = new HashMap<>();
        narrowed.forEach((t, s) -> narrowingSeqs.put(t, s.seqs()));
        return new FeedRange(
                since,
                more ? last : Math.max(since, position),
                more,
                List.copyOf(common),
                Map.copyOf(deletes),
                Map.copyOf(upserts),
                Map.copyOf(watchedSeqs),
                Map.copyOf(narrowingSeqs),
                Map.copyOf(nodes));
    }

    /**
     * The upserts of one table in a range: seq, the node each came through (-1: none), and what its feed
     * entry says of it besides its row (stamp, origin node, version, base), found by seq.
     */
    static final class Upserts {
        long[] seqs = new long[16];
        int[] vias = new int[16];
        long[] hlcs = new long[16];
        int[] origins = new int[16];
        long[] versions = new long[16];
        long[] bases = new long[16];
        /** The index of each upsert by its row's stored feed key ({@link FeedReader#keyOf}). */
        final Map<Object, Integer> byKey = new HashMap<>();

        int n;

        void add(Object key, long seq, int via, long hlc, int origin, long version, long base) {
            if (n == seqs.length) {
                int m = n * 2;
                seqs = Arrays.copyOf(seqs, m);
                vias = Arrays.copyOf(vias, m);
                hlcs = Arrays.copyOf(hlcs, m);
                origins = Arrays.copyOf(origins, m);
                versions = Arrays.copyOf(versions, m);
                bases = Arrays.copyOf(bases, m);
            }
            byKey.put(FeedReader.keyOf(key), n);
            seqs[n] = seq;
            vias[n] = via;
            hlcs[n] = hlc;
            origins[n] = origin;
            versions[n] = version;
            bases[n++] = base;
        }

        void trim() {
            seqs = Arrays.copyOf(seqs, n);
            vias = Arrays.copyOf(vias, n);
            hlcs = Arrays.copyOf(hlcs, n);
            origins = Arrays.copyOf(origins, n);
            versions = Arrays.copyOf(versions, n);
            bases = Arrays.copyOf(bases, n);
        }

        /** The index of {@code seq}, or -1. */
        int indexOf(long seq) {
            int i = Arrays.binarySearch(seqs, 0, n, seq);
            return i < 0 ? -1 : i;
        }

        /** The index of the upsert of the row whose stored feed key is {@code key}, or -1. */
        int indexOfKey(Object key) {
            Integer i = byKey.get(FeedReader.keyOf(key));
            return i == null ? -1 : i;
        }
    }

    /** A growing list of seqs. */
    private static final class Seqs {
        private long[] seqs = new long[16];
        private int n;

        void add(long seq) {
            if (n == seqs.length) {
                seqs = Arrays.copyOf(seqs, n * 2);
            }
            seqs[n++] = seq;
        }

        long[] seqs() {
            return Arrays.copyOf(seqs, n);
        }
    }
}
