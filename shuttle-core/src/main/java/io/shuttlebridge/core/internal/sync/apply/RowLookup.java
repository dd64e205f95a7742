package io.shuttlebridge.core.internal.sync.apply;

import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.feed.FeedReader;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * This replica's entry for a row during a batch: the one the batch wrote, else the one prefetched for
 * the batch's single-key rows, else one looked up with a statement prepared once per table. Internal.
 */
final class RowLookup implements AutoCloseable {
    /** What {@link #prefetchedEntry} answers for a row the prefetch did not look up. */
    private static final Object NOT_PREFETCHED = new Object();

    private final Dialect dialect;
    private final Batch batch;
    private final Map<Integer, PreparedStatement> lookups = new HashMap<>();
    /** Entries of single-key tables fetched for the whole batch up front, by table id then stored key. */
    private final Map<Integer, Map<Object, LocalRow>> prefetched = new HashMap<>();

    RowLookup(Dialect dialect, Batch batch) {
        this.dialect = dialect;
        this.batch = batch;
    }

    /**
     * One query per table and 2,000 keys instead of one per change, for single-column keys whose
     * stored form is known without asking the database (as they are, or the dialect computes it).
     */
    void prefetch(SyncSchema schema, List<Change> changes) throws SQLException {
        Map<SyncedTable, List<Object>> keys = new LinkedHashMap<>();
        Set<SyncedTable> unknown = new HashSet<>();
        for (Change ch : changes) {
            SyncedTable t = schema.require(ch.table());
            if (t.key().size() == 1 && !unknown.contains(t)) {
                Object stored = storedKey(t, ch.key());
                if (stored == null) {
                    unknown.add(t);
                    keys.remove(t);
                } else {
                    keys.computeIfAbsent(t, x -> new ArrayList<>()).add(stored);
                }
            }
        }
        for (var e : keys.entrySet()) {
            Map<Object, LocalRow> found =
                    LocalRow.loadAll(batch.connection(), dialect, e.getKey(), e.getValue(), upstream());
            for (Object stored : e.getValue()) {
                found.putIfAbsent(FeedReader.keyOf(stored), null); // looked up: no entry
            }
            prefetched.put(e.getKey().id(), found);
        }
    }

    /** This replica's entry for a row, including writes made earlier in the batch; null when it has none. */
    LocalRow local(SyncedTable t, List<Object> key) throws SQLException {
        LocalRow w = batch.written(t, key);
        if (w != null) {
            return w;
        }
        Object found = key.size() == 1 ? prefetchedEntry(t, storedKey(t, key)) : NOT_PREFETCHED;
        if (found != NOT_PREFETCHED) {
            return (LocalRow) found; // a row outside the batch (a held change, a cascade) is looked up below
        }
        PreparedStatement ps = lookups.get(t.id());
        if (ps == null) {
            ps = batch.connection().prepareStatement(LocalRow.lookupSql(dialect, t));
            lookups.put(t.id(), ps);
        }
        return LocalRow.load(ps, t, key, upstream());
    }

    /**
     * Forgets this replica's entry {@code l} of the row {@code key} (from before the batch): its feed entry
     * and column stamps go, the row's values stay until a write of the batch replaces them, and the row is
     * looked up as one without an entry from now on.
     */
    void forget(SyncedTable t, List<Object> key, LocalRow l) throws SQLException {
        var c = batch.flushed();
        Jdbc.update(c, "DELETE FROM _shuttle_colclock WHERE tbl = ? AND pk = ?", t.id(), l.storedKey());
        Jdbc.update(c, "DELETE FROM _shuttle_feed WHERE tbl = ? AND pk = ?", t.id(), l.storedKey());
        Map<Object, LocalRow> known = prefetched.get(t.id());
        Object stored = key.size() == 1 ? storedKey(t, key) : null;
        if (known != null && stored != null) {
            known.put(FeedReader.keyOf(stored), null);
        }
    }

    /** The hub whose changes this batch applies as a device (null on a hub's side of a push). */
    private String upstream() {
        return batch.sender().role() == Role.DEVICE ? batch.sender().via() : null;
    }

    /** The key as the feed stores it, or null when only the database can tell. */
    Object storedKey(SyncedTable t, List<Object> key) {
        return dialect.capture().storedKey(t, key);
    }

    /** Whether the prefetch looked up the single-key row whose stored key is given and found no entry. */
    boolean prefetchedAbsent(SyncedTable t, Object stored) {
        return prefetchedEntry(t, stored) == null;
    }

    /**
     * The feed entry the prefetch found for the single-key row whose stored key is given, null when it
     * found none, or {@link #NOT_PREFETCHED} when it did not look the row up.
     */
    private Object prefetchedEntry(SyncedTable t, Object stored) {
        Map<Object, LocalRow> known = prefetched.get(t.id());
        if (known == null || stored == null) {
            return NOT_PREFETCHED;
        }
        Object k = FeedReader.keyOf(stored);
        return known.containsKey(k) ? known.get(k) : NOT_PREFETCHED;
    }

    @Override
    public void close() throws SQLException {
        try {
            for (PreparedStatement ps : lookups.values()) {
                ps.close();
            }
        } finally {
            lookups.clear();
            prefetched.clear();
        }
    }
}
