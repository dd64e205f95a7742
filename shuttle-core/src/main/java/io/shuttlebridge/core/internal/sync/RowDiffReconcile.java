package io.shuttlebridge.core.internal.sync;

import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.internal.feed.Feed;
import io.shuttlebridge.core.internal.sync.apply.Applier;
import io.shuttlebridge.core.internal.sync.apply.Role;
import io.shuttlebridge.core.sync.RowDiff;
import io.shuttlebridge.core.sync.RowSet;
import io.shuttlebridge.core.sync.Transport;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A device reconciling tables by what differs: for each table it shows the hub the hashes of the rows it
 * holds ({@link RowSet}, the table's keys split into parts of at most {@link #PART_ROWS} rows), applies the
 * rows the hub answers that it lacks or holds at another version, and removes the rows the hub says match
 * none it may read (and that it did not just receive), as the sweep a snapshot's reconcile ends with
 * removes rows ({@link ResyncSweep#removeListed}): the removals are not captured, and rows written here
 * and not pushed yet stay. Tables the hub cannot
 * reconcile this way (an older hub, a body too large for it) are returned, for the snapshot. Internal.
 */
final class RowDiffReconcile {
    /** The most row hashes shown in one request (8 bytes each). */
    static final int PART_ROWS = 250_000;

    private final EngineContext engine;
    private final ShuttleDatabase db;
    private final Dialect dialect;

    RowDiffReconcile(EngineContext engine) {
        this.engine = engine;
        this.db = engine.db();
        this.dialect = Dialects.of(db);
    }

    /** A row this device holds: its key's hash and its key as the feed stores it. */
    private record Held(long key, Object pk) {}

    /**
     * Reconciles {@code tables} (parents first) with the hub; rows kept by the sweep for this device's
     * unpushed rows go to {@code kept}. Returns the tables left for the snapshot.
     */
    Set<String> run(Transport hub, String hubNode, Set<String> tables, SyncTally tally, Set<String> kept) {
        Set<String> rest = new LinkedHashSet<>();
        Set<String> done = new LinkedHashSet<>();
        Map<String, List<Object>> gone = new java.util.LinkedHashMap<>();
        for (String name : tables) {
            if (!rest.isEmpty() && done.isEmpty()) {
                rest.add(name); // the hub did not answer the first: an older hub, the snapshot for all
                continue;
            }
            List<Object> left = table(hub, hubNode, engine.schema().require(name), tally);
            if (left == null) {
                rest.add(name);
            } else {
                done.add(name);
                if (!left.isEmpty()) {
                    gone.put(name, left);
                }
            }
        }
        if (!gone.isEmpty()) {
            // removed children first (the sweep goes in delete order), once every table's rows are in
            db.transaction(c -> {
                kept.addAll(ResyncSweep.removeListed(
                        c,
                        dialect,
                        engine.schema(),
                        gone,
                        PeerStore.get(c, hubNode).lastPushed()));
                return null;
            });
        }
        return rest;
    }

    /**
     * Brings in the rows of one table that differ; returns the keys (as the feed stores them) of its rows the
     * hub says this device may no longer read, or null when the hub cannot answer (nothing was changed then).
     */
    private List<Object> table(Transport hub, String hubNode, SyncedTable t, SyncTally tally) {
        Map<Long, Held> held = db.read(c -> held(c, t));
        int parts = (int) Math.min(RowSet.MAX_PARTS, Math.max(1, (held.size() + PART_ROWS - 1) / PART_ROWS));
        RowHashes hashes = new RowHashes();
        Set<Long> receivedKeys = new HashSet<>();
        List<Object> gone = new ArrayList<>();
        for (int part = 0; part < parts; part++) {
            final int p = part;
            long[] have = held.entrySet().stream()
                    .filter(e -> RowHashes.inPart(e.getValue().key(), p, parts))
                    .mapToLong(Map.Entry::getKey)
                    .sorted()
                    .toArray();
            while (true) {
                var answer = hub.rowDiff(engine.nodeUuid(), t.name(), new RowSet(part, parts, have), engine.pageSize());
                if (answer.isEmpty()) {
                    if (part == 0 && receivedKeys.isEmpty()) {
                        return null;
                    }
                    throw new io.shuttlebridge.core.ShuttleException(
                            io.shuttlebridge.core.ErrorCode.TRANSPORT,
                            "the hub stopped answering the rows of \"" + t.name() + "\" that differ part-way");
                }
                RowDiff d = answer.get();
                apply(hubNode, d.changes(), tally);
                if (!d.changes().isEmpty()) {
                    long[] more = new long[d.changes().size()];
                    for (int i = 0; i < more.length; i++) {
                        Change ch = d.changes().get(i);
                        long key = hashes.key(ch.key());
                        receivedKeys.add(key);
                        more[i] = RowHashes.row(key, ch.hlc(), ch.version());
                    }
                    long[] next = Arrays.copyOf(have, have.length + more.length);
                    System.arraycopy(more, 0, next, have.length, more.length);
                    Arrays.sort(next);
                    have = next;
                }
                if (!d.more()) {
                    for (long h : d.gone()) {
                        Held row = held.get(h);
                        if (row != null && !receivedKeys.contains(row.key())) {
                            gone.add(row.pk());
                        }
                    }
                    break;
                }
            }
        }
        return gone;
    }

    /**
     * Takes the rows of {@code table} that moved into this device's set after cursor {@code since}, page by
     * page ({@link Transport#movedRows}); false when the hub could not send them (nothing was changed then,
     * or only rows it sent, which a reconcile of the whole table keeps). The pages are asked for one after
     * another, not ahead of their apply: a transport's calls stay in the order of the sync's steps.
     */
    boolean movedIn(Transport hub, String hubNode, String table, long since, SyncTally tally) {
        long after = 0;
        while (true) {
            var answer = hub.movedRows(engine.nodeUuid(), table, since, after, engine.pageSize());
            if (answer.isEmpty() || answer.get().resyncRequired()) {
                return false;
            }
            apply(hubNode, answer.get().changes(), tally);
            if (!answer.get().more()) {
                return true;
            }
            after = answer.get().next();
        }
    }

    /** Applies a page of the hub's rows, noting them as seen. */
    private void apply(String hubNode, List<Change> changes, SyncTally tally) {
        if (changes.isEmpty()) {
            return;
        }
        db.transaction(c -> {
            long before = Feed.top(c);
            Applier.Outcome o = engine.applier().apply(c, changes, hubNode, Role.DEVICE);
            DeviceStanding.ownChangesAcknowledged(c, before);
            tally.applied(o);
            return null;
        });
        tally.pulled(changes.size());
    }

    /** The rows of {@code t} this device holds, by their row hash. */
    private Map<Long, Held> held(Connection c, SyncedTable t) throws SQLException {
        String cols = t.key().stream().map(k -> "t." + dialect.quote(k)).collect(Collectors.joining(", "));
        String sql = "SELECT " + cols + ", f.hlc, f.version, f.pk FROM " + dialect.quote(t.name()) + " t JOIN"
                + " _shuttle_feed f ON f.tbl = ? AND f.pk = "
                + dialect.capture().keyExpression(t, "t")
                + " WHERE f.op = 1";
        Map<Long, Held> out = new HashMap<>();
        RowHashes hashes = new RowHashes();
        int width = t.key().size();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, t.id());
            try (ResultSet rs = ps.executeQuery()) {
                List<Object> key = new ArrayList<>(width);
                while (rs.next()) {
                    key.clear();
                    for (int i = 1; i <= width; i++) {
                        key.add(Jdbc.readValue(rs, i));
                    }
                    long k = hashes.key(key);
                    out.put(
                            RowHashes.row(k, rs.getLong(width + 1), rs.getLong(width + 2)),
                            new Held(k, Jdbc.readValue(rs, width + 3)));
                }
            }
        }
        return out;
    }
}
