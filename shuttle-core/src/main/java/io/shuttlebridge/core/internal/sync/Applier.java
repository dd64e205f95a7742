package io.shuttlebridge.core.internal.sync;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.change.Stamp;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.feed.ChangeWriter;
import io.shuttlebridge.core.internal.feed.FeedReader;
import io.shuttlebridge.core.internal.schema.Column;
import io.shuttlebridge.core.internal.schema.ForeignKey;
import io.shuttlebridge.core.sync.ConflictRecord;
import io.shuttlebridge.core.sync.ConflictResolver;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Applies a batch of remote changes in one transaction under each table's conflict policy:
 * parents before children for upserts, children before parents for deletes, foreign-key checks
 * deferred to commit, and a change whose parent row is missing held in the pending queue.
 *
 * <p>LWW and FIELD_LWW are symmetric rules every replica applies alike. VERSION_STRICT, MANUAL and
 * custom resolvers decide on the hub: a change made on a stale base is a conflict there, the hub's
 * row stands and is sent again so the writer converges; a device adopts what its hub sends and
 * keeps a record of the conflict it saw. Internal.
 */
public final class Applier {
    /** Which side of a sync this replica is on for the batch being applied. */
    public enum Role {
        HUB,
        DEVICE
    }

    /** Counts, conflicts recorded, and the stamps of incoming changes that were not taken (their writers must not build on them). */
    public record Outcome(
            int applied,
            int duplicates,
            int superseded,
            int pending,
            List<ConflictRecord> conflicts,
            List<Stamp> rejected) {}

    private final Dialect dialect;
    private final SyncSchema schema;
    private final String localNode;
    private final Map<String, ConflictResolver> resolvers;
    private final int maxBatch;

    private ChangeWriter writer;
    private Connection c;
    private String via;
    private Role role;
    private long clockFloor;
    private int applied;
    private int duplicates;
    private int superseded;
    private int pending;
    private List<ConflictRecord> conflicts;
    private List<Stamp> rejected;
    /** Rows written earlier in this batch: their feed entries are only written when the batch ends. */
    private final Map<RowRef, LocalRow> written = new HashMap<>();

    private final Map<Integer, PreparedStatement> lookups = new HashMap<>();
    /** Entries of single-key tables fetched for the whole batch up front, by table id then stored key. */
    private final Map<Integer, Map<Object, LocalRow>> prefetched = new HashMap<>();
    /** Rows with open conflicts, so that settling them costs nothing when there are none. */
    private Set<String> openConflicts;

    private final Consumer<Change> onApplied;

    public Applier(
            Dialect dialect,
            SyncSchema schema,
            String localNode,
            Map<String, ConflictResolver> resolvers,
            int maxBatch,
            Consumer<Change> onApplied) {
        this.onApplied = onApplied;
        this.dialect = dialect;
        this.schema = schema;
        this.localNode = localNode;
        this.resolvers = Map.copyOf(resolvers);
        this.maxBatch = maxBatch;
    }

    /** Applies inside the caller's transaction; throws (and the caller rolls back) on bad input. */
    public Outcome apply(Connection connection, List<Change> changes, String fromPeer, Role as) throws SQLException {
        ChangeValidator.validate(schema, changes, maxBatch);
        this.c = connection;
        this.via = fromPeer;
        this.role = as;
        applied = duplicates = superseded = pending = 0;
        conflicts = new ArrayList<>();
        rejected = new ArrayList<>();
        written.clear();
        openConflicts = ConflictStore.openRows(connection);
        writer = new ChangeWriter(dialect, schema);
        writer.begin(c);
        boolean done = false;
        try {
            if (dialect.supportsDeferredConstraints()) {
                Jdbc.execute(c, dialect.deferConstraintsStatement());
            }
            clockFloor = dialect.capture().nextSeqAndHlc(c).hlc();
            List<Change> ordered = order(changes);
            prefetch(ordered);
            for (Change change : ordered) {
                writer.via(via);
                applyOne(change, true);
            }
            retryPending();
            done = true;
        } finally {
            try {
                for (PreparedStatement ps : lookups.values()) {
                    ps.close();
                }
            } finally {
                lookups.clear();
                prefetched.clear();
                if (done) {
                    writer.end();
                } else {
                    // the transaction rolls back: nothing more is run in it, so the caller sees the
                    // apply's own failure (on PostgreSQL, not that the transaction was aborted)
                    writer.discard();
                }
            }
        }
        return new Outcome(applied, duplicates, superseded, pending, conflicts, rejected);
    }

    /**
     * One query per table and 2,000 keys instead of one per change, for single-column keys whose
     * stored form is known without asking the database (as they are, or the dialect computes it).
     */
    private void prefetch(List<Change> changes) throws SQLException {
        Map<SyncedTable, List<Object>> keys = new LinkedHashMap<>();
        Set<SyncedTable> unknown = new HashSet<>();
        for (Change ch : changes) {
            SyncedTable t = schema.require(ch.table());
            if (t.key().size() == 1 && !unknown.contains(t)) {
                Object stored = storedSingleKey(t, ch.key());
                if (stored == null) {
                    unknown.add(t);
                    keys.remove(t);
                } else {
                    keys.computeIfAbsent(t, x -> new ArrayList<>()).add(stored);
                }
            }
        }
        for (var e : keys.entrySet()) {
            Map<Object, LocalRow> found = LocalRow.loadAll(c, dialect, e.getKey(), e.getValue());
            for (Object stored : e.getValue()) {
                found.putIfAbsent(FeedReader.keyOf(stored), null); // looked up: no entry
            }
            prefetched.put(e.getKey().id(), found);
        }
    }

    private Object storedSingleKey(SyncedTable t, List<Object> key) {
        return dialect.capture().storedKey(t, key);
    }

    /** Upserts parents first, then deletes children first; a stable sort, so a table's changes keep their order. */
    private List<Change> order(List<Change> changes) {
        List<Change> upserts = new ArrayList<>();
        List<Change> deletes = new ArrayList<>();
        Map<String, Integer> ranks = new HashMap<>();
        Function<String, Integer> rankOf = schema.plan()::rank;
        boolean sorted = true;
        int last = Integer.MIN_VALUE;
        for (Change ch : changes) {
            (ch.op() == Op.UPSERT ? upserts : deletes).add(ch);
            int rank = ranks.computeIfAbsent(ch.table(), rankOf);
            sorted &= ch.op() == Op.UPSERT && rank >= last;
            last = rank;
        }
        if (sorted) {
            return changes; // upserts only, already parents first (one table, typically)
        }
        upserts.sort(Comparator.comparingInt(ch -> ranks.get(ch.table())));
        deletes.sort(
                Comparator.comparingInt((Change ch) -> ranks.get(ch.table())).reversed());
        List<Change> all = new ArrayList<>(upserts);
        all.addAll(deletes);
        return all;
    }

    private void retryPending() throws SQLException {
        Role batchRole = role;
        String batchVia = via;
        try {
            boolean progress = true;
            while (progress) {
                progress = false;
                for (PendingStore.Pending p : PendingStore.all(c)) {
                    role = p.heldAs() == null ? batchRole : p.heldAs();
                    via = p.via();
                    SyncedTable pt = schema.require(p.change().table());
                    LocalRow held = local(pt, p.change().key());
                    if (supersededWhileHeld(pt, held, p.change())) {
                        PendingStore.release(c, p.change()); // a later write to the row arrived meanwhile
                        continue;
                    }
                    String reason = missingDependency(p.change());
                    if (reason == null) {
                        PendingStore.release(c, p.change());
                        writer.via(p.via());
                        applyOne(p.change(), false);
                        progress = true;
                    }
                }
                if (!progress) {
                    progress = releaseCycle(batchRole);
                }
            }
        } finally {
            role = batchRole;
            via = batchVia;
            writer.via(batchVia);
        }
        pending = (int) PendingStore.count(c);
    }

    /**
     * Held rows that refer to each other (a reference cycle, such as two rows recreated after their
     * deletion) each wait for another's row, so none is ever released one at a time. When every missing
     * parent of such a group is a held row the policy will take as it is, the group is applied together:
     * first each row is written with its references to rows not there yet set to null (where the column
     * allows it: databases that check foreign keys at once, as PostgreSQL does for ordinary ones, accept
     * no other order), then every change is applied as usual, which writes its references. Returns
     * whether a group was released.
     */
    private boolean releaseCycle(Role batchRole) throws SQLException {
        Map<RowRef, PendingStore.Pending> absent = new LinkedHashMap<>();
        for (PendingStore.Pending p : PendingStore.all(c)) {
            Change r = p.change();
            SyncedTable t = schema.require(r.table());
            LocalRow l = local(t, r.key());
            role = p.heldAs() == null ? batchRole : p.heldAs();
            if (r.op() == Op.UPSERT && (l == null || l.tombstone()) && takenAsItIs(t, l, r)) {
                absent.put(rowId(r.table(), r.key()), p);
            }
        }
        Map<RowRef, List<RowRef>> waitsFor = new HashMap<>();
        for (var e : absent.entrySet()) {
            waitsFor.put(e.getKey(), promisedParents(e.getValue().change(), absent));
        }
        boolean removed = true;
        while (removed) { // keep the rows whose every missing parent is a row kept
            removed = waitsFor.entrySet()
                    .removeIf(e -> e.getValue() == null || !waitsFor.keySet().containsAll(e.getValue()));
        }
        if (waitsFor.isEmpty()) {
            return false;
        }
        List<PendingStore.Pending> group = absent.entrySet().stream()
                .filter(e -> waitsFor.containsKey(e.getKey()))
                .map(Map.Entry::getValue)
                .toList();
        for (PendingStore.Pending p : group) {
            Change r = p.change();
            SyncedTable t = schema.require(r.table());
            Map<String, Object> values = new LinkedHashMap<>(r.values());
            for (ForeignKey fk : missingReferences(r)) {
                for (String col : fk.childColumns()) {
                    if (t.table().column(col).map(Column::nullable).orElse(false)) {
                        values.put(col, null);
                    }
                }
            }
            writer.upsertRow(
                    t,
                    new Change(
                            r.table(),
                            r.key(),
                            Op.UPSERT,
                            values,
                            r.hlc(),
                            r.origin(),
                            r.version(),
                            r.base(),
                            Map.of()));
        }
        for (PendingStore.Pending p : group) {
            role = p.heldAs() == null ? batchRole : p.heldAs();
            via = p.via();
            writer.via(p.via());
            PendingStore.release(c, p.change());
            applyOne(p.change(), false);
        }
        return true;
    }

    /**
     * Whether the policy takes {@code r}, an upsert of a row this replica does not hold ({@code l} is
     * null or a tombstone), with its values as they are: the decision {@link #applyOne} makes, made
     * without writing.
     */
    private boolean takenAsItIs(SyncedTable t, LocalRow l, Change r) {
        if (l == null) {
            return true;
        }
        if (l.stamp().equals(r.stamp())) {
            return false;
        }
        return switch (t.policy()) {
            case LWW, FIELD_LWW -> r.stamp().newerThan(l.stamp());
            default -> {
                if (!concurrent(l, r) || (role == Role.DEVICE && t.policy() != ConflictPolicy.CUSTOM)) {
                    yield true;
                }
                yield t.policy() == ConflictPolicy.CUSTOM
                        && resolver(t).resolve(t.name(), null, r.values(), Optional.empty())
                                instanceof ConflictResolver.TakeRemote;
            }
        };
    }

    /** The foreign keys of an upsert whose parent row is missing. */
    private List<ForeignKey> missingReferences(Change r) throws SQLException {
        List<ForeignKey> out = new ArrayList<>();
        for (ForeignKey fk : schema.require(r.table()).table().foreignKeys()) {
            if (missingParent(r, fk) != null) {
                out.add(fk);
            }
        }
        return out;
    }

    /**
     * The held rows of {@code candidates} that would provide the missing parents of {@code r}, or null
     * when a missing parent is not among them.
     */
    private List<RowRef> promisedParents(Change r, Map<RowRef, PendingStore.Pending> candidates) throws SQLException {
        List<RowRef> out = new ArrayList<>();
        for (ForeignKey fk : schema.require(r.table()).table().foreignKeys()) {
            List<Object> ref = missingParent(r, fk);
            if (ref == null) {
                continue;
            }
            RowRef found = null;
            for (var e : candidates.entrySet()) {
                Change p = e.getValue().change();
                if (p.table().equals(fk.parentTable())
                        && sameValues(
                                ref,
                                fk.parentColumns().stream().map(p.values()::get).toList())) {
                    found = e.getKey();
                    break;
                }
            }
            if (found == null) {
                return null;
            }
            out.add(found);
        }
        return out;
    }

    private static boolean sameValues(List<Object> a, List<Object> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (b.get(i) == null || !FeedReader.keyOf(a.get(i)).equals(FeedReader.keyOf(b.get(i)))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a held change is out of date now that it could be applied: the row took a later write
     * while it waited. Under LWW and FIELD_LWW that is a newer stamp. Where the hub decides, stamps say
     * nothing (a device's own write that its hub refused can be newer than the hub's row it must adopt):
     * on a device, a change from its hub is out of date when this replica already holds that hub version
     * of the row or a later one (its own entry's base, or the version of the hub's entry it adopted); on
     * the hub, when the row holds a later write of the same writer. Otherwise the policy decides as for
     * any incoming change, so a concurrent write becomes a conflict rather than vanishing.
     */
    private boolean supersededWhileHeld(SyncedTable t, LocalRow l, Change r) {
        if (l == null || l.stamp().equals(r.stamp())) {
            return false; // a duplicate is counted as one when applied
        }
        return switch (t.policy()) {
            case LWW, FIELD_LWW -> !r.stamp().newerThan(l.stamp());
            default ->
                role == Role.DEVICE
                        ? r.version() <= (l.stamp().origin().equals(localNode) ? l.base() : l.version())
                        : l.stamp().origin().equals(r.origin()) && l.stamp().newerThan(r.stamp());
        };
    }

    private void applyOne(Change r, boolean fresh) throws SQLException {
        SyncedTable t = schema.require(r.table());
        LocalRow l = local(t, r.key());
        if (l != null && l.stamp().equals(r.stamp())) {
            duplicates++;
            return;
        }
        if (fresh && l != null && l.stamp().compareTo(r.stamp()) > 0 && t.policy() == ConflictPolicy.LWW) {
            superseded++;
            rejected.add(r.stamp());
            return;
        }
        String waitFor = missingDependency(r);
        if (waitFor != null) {
            if (t.policy() == ConflictPolicy.LWW) {
                // one change is held per row: an older one must not take the place of a newer one waiting
                Change waiting = PendingStore.held(c, r.table(), r.key());
                if (waiting != null && waiting.stamp().newerThan(r.stamp())) {
                    superseded++;
                    rejected.add(r.stamp());
                    return;
                }
            }
            PendingStore.hold(c, r, via, waitFor, role);
            return;
        }
        switch (t.policy()) {
            case LWW -> lww(t, l, r);
            case FIELD_LWW -> new FieldMerge(this, t, l, r).apply();
            default -> authoritative(t, l, r);
        }
    }

    private void lww(SyncedTable t, LocalRow l, Change r) throws SQLException {
        if (l == null || r.stamp().newerThan(l.stamp())) {
            take(t, r);
        } else {
            superseded++;
        }
    }

    /** VERSION_STRICT, MANUAL and CUSTOM: the hub decides concurrent writes, devices adopt. */
    private void authoritative(SyncedTable t, LocalRow l, Change r) throws SQLException {
        if (!concurrent(l, r)) {
            take(t, r);
            return;
        }
        Map<String, Object> local = l.tombstone() ? null : LocalRow.values(connection(), dialect, t, r.key());
        if (role == Role.DEVICE && t.policy() != ConflictPolicy.CUSTOM) {
            // the hub's row stands: this replica's own concurrent write is kept as a conflict record
            record(t, l, local, r);
            adopt(r);
            return;
        }
        ConflictResolver.Resolution decision = t.policy() == ConflictPolicy.CUSTOM
                ? resolver(t).resolve(t.name(), local, r.isDelete() ? null : r.values(), Optional.empty())
                : new ConflictResolver.Manual();
        switch (decision) {
            case ConflictResolver.TakeRemote x -> take(t, r);
            case ConflictResolver.KeepLocal x -> {
                superseded++;
                rejected.add(r.stamp());
                if (role == Role.HUB) {
                    resend(t, l, local, r.key());
                } else {
                    writeMerged(t, l, r, local); // our row, now based on what the hub has, so the hub takes it
                }
            }
            case ConflictResolver.Merged m -> writeMerged(t, l, r, m.values());
            case ConflictResolver.Manual x -> {
                record(t, l, local, r);
                if (role == Role.HUB) {
                    resend(t, l, local, r.key());
                } else {
                    adopt(r);
                }
            }
        }
    }

    /**
     * Whether {@code r} was written concurrently with this replica's row {@code l}: not made on it, or
     * (on a device) this replica holds a write of its own the hub has not acknowledged yet. A node's own
     * writes are ordered, so a later write by the writer of the current row succeeds it; a delete of a
     * deleted row agrees with it.
     */
    private boolean concurrent(LocalRow l, Change r) {
        if (l == null || (l.tombstone() && r.isDelete())) {
            return false;
        }
        boolean unacknowledged = l.stamp().origin().equals(localNode) && l.version() > l.base();
        boolean successor = l.stamp().origin().equals(r.origin()) && r.stamp().newerThan(l.stamp());
        return !successor && (r.base() < l.version() || (role == Role.DEVICE && unacknowledged));
    }

    private ConflictResolver resolver(SyncedTable t) {
        ConflictResolver res = resolvers.get(t.name());
        if (res == null) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT,
                    "table \"" + t.name() + "\" has the CUSTOM policy but no ConflictResolver is registered for it");
        }
        return res;
    }

    private void record(SyncedTable t, LocalRow l, Map<String, Object> local, Change r) throws SQLException {
        rejected.add(r.stamp());
        openConflicts.add(ConflictStore.rowId(t.name(), r.key()));
        conflicts.add(ConflictStore.record(
                c,
                t.name(),
                r.key(),
                t.policy(),
                l.tombstone() ? null : local,
                l.stamp().hlc(),
                l.stamp().origin(),
                l.version(),
                r.isDelete() ? null : r.values(),
                r.hlc(),
                r.origin(),
                r.version(),
                r.base()));
    }

    /** The hub's row stands: its feed entry moves to the end so every puller gets it (again). */
    private void resend(SyncedTable t, LocalRow l, Map<String, Object> local, List<Object> key) throws SQLException {
        writer.via(null);
        writer.writeFeed(
                t,
                new Change(
                        t.name(),
                        key,
                        l.op(),
                        local,
                        l.stamp().hlc(),
                        l.stamp().origin(),
                        l.version(),
                        l.base(),
                        Map.of()),
                l.version());
        written.put(rowId(t.name(), key), l);
    }

    private void writeMerged(SyncedTable t, LocalRow l, Change r, Map<String, Object> values) throws SQLException {
        rejected.add(r.stamp());
        long version = Math.max(l.version(), r.version()) + 1;
        long base = role == Role.HUB ? l.version() : r.version();
        Change merged = values == null
                ? new Change(t.name(), r.key(), Op.DELETE, Map.of(), freshStamp(), localNode, version, base, Map.of())
                : new Change(t.name(), r.key(), Op.UPSERT, values, freshStamp(), localNode, version, base, Map.of());
        writer.via(null);
        write(merged);
        settleConflicts(t, r.key(), "merged by resolver");
        applied++;
    }

    /** Writes the remote change as it is; it was made after any conflict open on the row, which it settles. */
    void take(SyncedTable t, Change r) throws SQLException {
        adopt(r);
        settleConflicts(t, r.key(), "superseded by a later write");
    }

    /** Writes the remote change as it is, leaving conflict records alone. */
    private void adopt(Change r) throws SQLException {
        if (r.isDelete()) {
            cascade(schema.require(r.table()), r.key(), 0);
        }
        write(r);
        clockFloor = Math.max(clockFloor, r.hlc() + 1);
        applied++;
    }

    /** This replica's entry for a row, including writes made earlier in the batch. */
    LocalRow local(SyncedTable t, List<Object> key) throws SQLException {
        LocalRow w = written.isEmpty() ? null : written.get(rowId(t.name(), key));
        if (w != null) {
            return w;
        }
        Object found = key.size() == 1 ? prefetchedEntry(t, storedSingleKey(t, key)) : NOT_PREFETCHED;
        if (found != NOT_PREFETCHED) {
            return (LocalRow) found; // a row outside the batch (a held change, a cascade) is looked up below
        }
        PreparedStatement ps = lookups.get(t.id());
        if (ps == null) {
            ps = c.prepareStatement(LocalRow.lookupSql(dialect, t));
            lookups.put(t.id(), ps);
        }
        return LocalRow.load(ps, t, key);
    }

    private void write(Change ch) throws SQLException {
        SyncedTable t = schema.require(ch.table());
        RowRef ref = rowId(ch.table(), ch.key());
        LocalRow before = written.get(ref);
        Object stored = before != null ? before.storedKey() : dialect.capture().storedKey(t, ch.key());
        writer.write(ch, before == null && ch.key().size() == 1 && prefetchedEntry(t, stored) == null);
        onApplied.accept(ch);
        written.put(ref, new LocalRow(stored, ch.op(), ch.stamp(), ch.version(), ch.base()));
    }

    /** What {@link #prefetchedEntry} answers for a row the prefetch did not look up. */
    private static final Object NOT_PREFETCHED = new Object();

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

    /** A row within the batch: table id and key, byte arrays compared by content. */
    private record RowRef(int table, Object key) {}

    private RowRef rowId(String table, List<Object> key) {
        Object k;
        if (key.size() == 1) {
            k = FeedReader.keyOf(key.get(0));
        } else {
            List<Object> parts = new ArrayList<>(key.size());
            for (Object part : key) {
                parts.add(FeedReader.keyOf(part));
            }
            k = parts;
        }
        return new RowRef(schema.require(table).id(), k);
    }

    private void settleConflicts(SyncedTable t, List<Object> key, String how) throws SQLException {
        if (openConflicts.isEmpty()) {
            return;
        }
        String id = ConflictStore.rowId(t.name(), key);
        if (openConflicts.remove(id)) {
            ConflictStore.closeForRow(c, t.name(), key, how);
        }
    }

    long freshStamp() {
        long stamp = Math.max(clockFloor, System.currentTimeMillis() << 16);
        clockFloor = stamp + 1;
        return stamp;
    }

    /** The rows whose deletion {@link #cascade} is spreading, from the deleted row down: a reference back to one closes a cycle. */
    private final Set<RowRef> cascading = new HashSet<>();

    /**
     * A parent row is going away while rows here still refer to it (written concurrently, or not
     * yet deleted here): they are deleted too, as this node's own writes, so the deletion reaches
     * every replica and the batch never fails on a foreign key.
     */
    private void cascade(SyncedTable parent, List<Object> parentKey, int depth) throws SQLException {
        if (depth > 32) {
            return;
        }
        RowRef id = rowId(parent.name(), parentKey);
        cascading.add(id);
        try {
            cascadeChildren(parent, parentKey, depth);
        } finally {
            cascading.remove(id);
        }
    }

    private void cascadeChildren(SyncedTable parent, List<Object> parentKey, int depth) throws SQLException {
        for (SyncedTable child : schema.tables()) {
            for (ForeignKey fk : child.table().foreignKeys()) {
                if (!fk.parentTable().equals(parent.name())) {
                    continue;
                }
                List<Object> ref =
                        ReferenceQueries.referencedValues(connection(), dialect, parent, parentKey, fk.parentColumns());
                if (ref == null) {
                    continue;
                }
                for (List<Object> childKey :
                        ReferenceQueries.referencingKeys(connection(), dialect, child, fk.childColumns(), ref)) {
                    if (child.name().equals(parent.name()) && childKey.equals(parentKey)) {
                        continue; // a row referring to itself
                    }
                    if (cascading.contains(rowId(child.name(), childKey))) {
                        // a reference cycle: that row is deleted once this one is; where foreign keys are checked
                        // at once neither could go first, so its reference to this row goes now
                        ReferenceQueries.clear(connection(), dialect, child, fk.childColumns(), childKey);
                        continue;
                    }
                    cascade(child, childKey, depth + 1);
                    LocalRow cl = local(child, childKey);
                    long version = cl == null ? 1 : cl.version() + 1;
                    String saved = via;
                    writer.via(null);
                    write(new Change(
                            child.name(),
                            childKey,
                            Op.DELETE,
                            Map.of(),
                            freshStamp(),
                            localNode,
                            version,
                            cl == null ? 0 : cl.version(),
                            Map.of()));
                    writer.via(saved);
                }
            }
        }
    }

    /** Names the missing parent (or the remaining children) a change waits for, or null when it can be applied. */
    private String missingDependency(Change r) throws SQLException {
        if (r.op() == Op.UPSERT) {
            // parents are applied first (plan order); a parent later in the batch (self-reference, cycle)
            // releases this change from the pending queue when the batch ends
            for (ForeignKey fk : schema.require(r.table()).table().foreignKeys()) {
                List<Object> ref = missingParent(r, fk);
                if (ref != null) {
                    return "parent " + fk.parentTable() + fk.parentColumns() + " = " + ref + " has not arrived";
                }
            }
        }
        return null;
    }

    /** The values of {@code fk} in the upsert {@code r} when they name a synced parent row that does not exist, else null. */
    private List<Object> missingParent(Change r, ForeignKey fk) throws SQLException {
        List<Object> ref = fk.childColumns().stream().map(r.values()::get).toList();
        if (ref.stream().anyMatch(v -> v == null)
                || schema.table(fk.parentTable()).isEmpty()) {
            return null; // null reference, or a parent table outside sync (the database checks it)
        }
        if (fk.selfReferencing()
                && ref.equals(fk.parentColumns().stream().map(r.values()::get).toList())) {
            return null; // the row refers to itself
        }
        return ReferenceQueries.exists(connection(), dialect, fk.parentTable(), fk.parentColumns(), ref) ? null : ref;
    }

    // state FieldMerge needs
    /** The transaction's connection, with every queued row write sent, for reading the user's tables. */
    Connection connection() throws SQLException {
        writer.flush();
        return c;
    }

    Dialect dialect() {
        return dialect;
    }

    ChangeWriter writer() {
        return writer;
    }

    String localNode() {
        return localNode;
    }

    void countSuperseded() {
        superseded++;
    }

    static Stamp orDefault(Map<String, Stamp> stamps, String col, Stamp row) {
        Stamp s = stamps.get(col);
        return s == null ? row : s;
    }
}
