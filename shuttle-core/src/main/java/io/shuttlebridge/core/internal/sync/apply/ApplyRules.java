package io.shuttlebridge.core.internal.sync.apply;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.change.Stamp;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.sync.ConflictResolver;
import java.util.Map;

/**
 * The conflict rules of every policy, as pure functions of plain values: this replica's entry for the
 * row, the incoming change, the table (its policy and columns) and the side this replica is on. Nothing
 * here reads the database: where a rule needs a fact that costs a query, its stage answers with a
 * {@link Verdict.Ask} and the next stage takes the fact, so the apply fetches only what the rules use.
 * The stages in order: {@link #onEntry}, then for an upsert the parents ({@link #onMissingParent},
 * {@link #onHeld}) or {@link #decide}, then {@link #onColumns} (FIELD_LWW) or {@link #onConcurrent} and
 * {@link #onResolution}. A held upsert whose parents are still missing when the batch is applied goes
 * through {@link #whileParentsMissing}, {@link #withoutParents} and {@link #onDeletedParent}.
 *
 * <p>LWW and FIELD_LWW are symmetric rules every replica applies alike. VERSION_STRICT, MANUAL and
 * custom resolvers decide on the hub: a change made on a stale base is a conflict there, the hub's row
 * stands and is sent again so the writer converges; a device adopts what its hub sends and keeps a
 * record of the conflict it saw. Internal.
 */
final class ApplyRules {
    private static final ConflictResolver.Resolution UNRESOLVED = new ConflictResolver.Manual();

    private final String localNode;

    ApplyRules(String localNode) {
        this.localNode = localNode;
    }

    /**
     * On the row's entry alone ({@code l}, null when this replica has none): a duplicate, a fresh LWW
     * change older than the row, a resent copy of a write over another entry of the row, or on to the
     * parents (an upsert) or to the policy. A resent copy of a row this hub holds nothing of goes on as the
     * original write would (it is the original write: its stamp, origin, version and base as they were), so
     * every policy takes it: there is no row for it to be concurrent with.
     */
    Verdict onEntry(SyncedTable t, Role role, LocalRow l, Change r, Arrival arrival) {
        if (l != null && l.stamp().equals(r.stamp())) {
            return Verdict.DUPLICATE;
        }
        if (arrival == Arrival.RESENT && l != null) {
            // a copy of a write this hub held before a restore took it back, which its history has moved on from
            // since (another write of the row, or its delete, came after the restore): under every policy what
            // the hub holds stands, unrejected and without a conflict record (the copy is no new write: its
            // sender did not make it), and is sent again so the sender, which kept the copy, converges to it
            return Verdict.RESENT_OVER;
        }
        if ((arrival == Arrival.FRESH || arrival == Arrival.SNAPSHOT)
                && l != null
                && l.stamp().compareTo(r.stamp()) > 0
                && t.policy() == ConflictPolicy.LWW) {
            return Verdict.SUPERSEDED_REJECTED;
        }
        return r.op() == Op.UPSERT ? Verdict.CHECK_PARENTS : decide(t, role, l, r);
    }

    /**
     * On a device taking its hub's snapshot, whether the entry {@code l} it holds for the row of the
     * snapshot's upsert {@code r} is one it received from that hub in a history the hub has since lost to a
     * restore: the hub sends the row as it holds it now, and within one history of the hub that is the write
     * the device received from it or a later one, never an older one. An entry it received that the hub's
     * row does not supersede (another stamp, not older) is therefore a write the hub took back with its
     * restore (a deletion it wrote for an orphaned row, say): the device has nothing of its own in it (its
     * own writes went to the hub again before the snapshot), and the writer, if it still holds it, pushes it
     * again. Such an entry is forgotten and the snapshot's row taken as the hub holds it, as for a row the
     * device never held: held for a missing parent, it is released once the parent comes, not dropped for
     * the forgotten entry. A deletion in the snapshot is left to the policy (taking it would remove the
     * device's own rows referring to the row).
     */
    boolean lostWithHubHistory(Role role, LocalRow l, Change r, Arrival arrival) {
        return arrival == Arrival.SNAPSHOT
                && role == Role.DEVICE
                && l != null
                && l.fromUpstream()
                && r.op() == Op.UPSERT
                && !l.stamp().equals(r.stamp())
                && !r.stamp().newerThan(l.stamp());
    }

    /**
     * The verdict on a held upsert once its parents are there: for releasing rows held for each other
     * (a reference cycle, whose rows provide each other's parents), the same decision as applying it.
     */
    Verdict onceParentsArrive(SyncedTable t, Role role, LocalRow l, Change r) {
        Verdict v = onEntry(t, role, l, r, Arrival.RELEASED);
        return v instanceof Verdict.CheckParents ? decide(t, role, l, r) : v;
    }

    /**
     * A parent of the upsert has not arrived (parents are applied first, so one later in the batch, a
     * self-reference or a cycle, releases it when the batch ends): the change waits in the pending queue.
     */
    Verdict onMissingParent(SyncedTable t, String reason) {
        return t.policy() == ConflictPolicy.LWW ? new Verdict.CheckHeld(reason) : new Verdict.Hold(reason);
    }

    /** LWW holds one change per row: an older one must not take the place of a newer one waiting ({@code held}, or null). */
    Verdict onHeld(Change r, Change held, String reason) {
        return held != null && held.stamp().newerThan(r.stamp())
                ? Verdict.SUPERSEDED_REJECTED
                : new Verdict.Hold(reason);
    }

    /**
     * A held upsert whose parents are still missing once nothing more can be released. Under LWW and
     * FIELD_LWW it waits: a newer upsert of a parent releases it, and where a parent was deleted, the
     * delete's cascade on the writer deletes the row with a newer write, which supersedes it. Where the
     * hub decides, it is decided as if its parents were there first, then {@link #withoutParents}.
     */
    Verdict whileParentsMissing(SyncedTable t, Role role, LocalRow l, Change r) {
        return switch (t.policy()) {
            case LWW, FIELD_LWW -> Verdict.WAIT;
            default -> onceParentsArrive(t, role, l, r);
        };
    }

    /**
     * What to do with a held upsert whose parents are missing, given {@code once}, what
     * {@link #whileParentsMissing} made of it. A decision that writes nothing of it (a conflict the hub's
     * row stands against, a resolver keeping this replica's row, a duplicate) does not depend on its
     * parents and is made now. One that would write it waits on a device, which adopts what its hub
     * decides: the hub's later write of the row, or the parent, releases it. On the hub it depends on
     * whether a missing parent was deleted here ({@link #onDeletedParent}).
     */
    Verdict withoutParents(Role role, Verdict.Act once) {
        if (!once.needsParents()) {
            return once;
        }
        return role == Role.HUB ? Verdict.CHECK_DELETED_PARENT : Verdict.WAIT;
    }

    /**
     * On the hub, the held upsert {@code r} would be written but a parent is missing; {@code deleted} is
     * the newest tombstone among its missing parents (null: none was deleted here, so they may arrive).
     * A write made after it saw a delete carries a later stamp than the delete, so one whose stamp is not
     * later was written without knowing the parent was gone: it is concurrent with the delete, and no
     * parent made again by its writer can follow. The delete stands, as its cascade removes the rows
     * referring to the parent, and the change is refused and kept as a conflict record; the hub's row
     * flows back to its writer: the live row or its tombstone, sent again, or where the hub never held
     * the row, a deletion of it the hub writes. A change stamped after the delete may be waiting for a
     * parent its writer made again and sends later (or, under CUSTOM, one a resolver brings back): it
     * waits, and when its writer hears of the delete, the cascade there supersedes it.
     */
    Verdict onDeletedParent(LocalRow l, Change r, LocalRow deleted) {
        if (deleted == null || deleted.stamp().hlc() < r.hlc()) {
            return Verdict.WAIT;
        }
        if (l == null) {
            return new Verdict.Orphaned(r.version() + 1, r.version());
        }
        return l.tombstone() ? new Verdict.RecordConflict(null, Verdict.Then.RESEND) : Verdict.READ_STANDING;
    }

    /** The held upsert is refused over the live row whose values are {@code local}, which stands and is sent again. */
    Verdict onRefused(Map<String, Object> local) {
        return new Verdict.RecordConflict(local, Verdict.Then.RESEND);
    }

    /** Every parent is there: the table's policy decides. */
    Verdict decide(SyncedTable t, Role role, LocalRow l, Change r) {
        return switch (t.policy()) {
            case LWW -> l == null || r.stamp().newerThan(l.stamp()) ? Verdict.TAKE : Verdict.SUPERSEDED;
            case FIELD_LWW -> FieldMerge.onEntry(t, l, r);
            default -> {
                if (l != null && l.tombstone() && r.isDelete()) {
                    // a delete of a deleted row agrees with it; the row keeps the later version of the two, for
                    // a replica tells a change it holds is out of date by the row's version having passed it
                    yield r.version() < l.version() ? Verdict.SUPERSEDED : Verdict.TAKE;
                }
                if (!concurrent(role, l, r)) {
                    yield Verdict.TAKE;
                }
                yield l.tombstone() ? onConcurrent(t, role, l, r, null) : Verdict.READ_LOCAL;
            }
        };
    }

    /**
     * The decision on a change this hub re-stamped to its own clock ({@link ClockBound}). A stamp the hub
     * gives afresh is later than every row it holds, so the change is superseded only when it was pushed
     * before and a later write of the row came in between: its writer, which did not hear the first
     * answer, still holds the far later stamp and compared the hub's row with it, so the row it may have
     * refused is sent again. Any other decision stands.
     */
    Verdict.Act afterRestamp(LocalRow l, Verdict.Act act) {
        return act instanceof Verdict.Superseded s && l != null ? new Verdict.Resent(s.reject()) : act;
    }

    /** FIELD_LWW over a live row, with its column stamps and, for an upsert, its values. */
    Verdict onColumns(SyncedTable t, LocalRow l, Change r, Map<String, Stamp> stamps, Map<String, Object> local) {
        return FieldMerge.merge(t, l, r, stamps, local);
    }

    /**
     * VERSION_STRICT, MANUAL or CUSTOM: {@code r} was written concurrently with this replica's row, whose
     * values are {@code local} (null: deleted here). A custom resolver decides; the others leave it to
     * the application, as a resolver deferring to manual resolution does.
     */
    Verdict onConcurrent(SyncedTable t, Role role, LocalRow l, Change r, Map<String, Object> local) {
        return t.policy() == ConflictPolicy.CUSTOM
                ? new Verdict.AskResolver(local)
                : onResolution(role, l, r, local, UNRESOLVED);
    }

    /**
     * What a resolution of a concurrent write does. Where the hub decides, its row stands and is sent
     * again; a device records the conflict it saw and adopts its hub's row, or writes the row the resolver
     * chose as a new write based on the hub's version.
     */
    Verdict onResolution(
            Role role, LocalRow l, Change r, Map<String, Object> local, ConflictResolver.Resolution resolution) {
        return switch (resolution) {
            case ConflictResolver.TakeRemote x -> Verdict.TAKE;
            case ConflictResolver.KeepLocal x ->
                new Verdict.KeepLocal(local, role == Role.HUB ? null : merged(role, l, r, local));
            case ConflictResolver.Merged m -> merged(role, l, r, m.values());
            case ConflictResolver.Manual x ->
                new Verdict.RecordConflict(local, role == Role.HUB ? Verdict.Then.RESEND : Verdict.Then.ADOPT);
        };
    }

    private static Verdict.Merged merged(Role role, LocalRow l, Change r, Map<String, Object> values) {
        return new Verdict.Merged(
                values, Math.max(l.version(), r.version()) + 1, role == Role.HUB ? l.version() : r.version());
    }

    /**
     * Whether {@code r} was written concurrently with this replica's row {@code l}: not made on it, or
     * (on a device) this replica holds a write the hub has not acknowledged yet: its own, or on a tier
     * hub, one of its devices' it has not relayed up yet ({@link LocalRow#relayPending}). A node's own
     * writes are ordered, so a later write by the writer of the current row succeeds it. (A delete of a
     * deleted row agrees with it: {@link #decide} settles that first.)
     */
    boolean concurrent(Role role, LocalRow l, Change r) {
        if (l == null) {
            return false;
        }
        boolean unacknowledged = (l.stamp().origin().equals(localNode) && l.version() > l.base()) || l.relayPending();
        boolean successor = l.stamp().origin().equals(r.origin()) && r.stamp().newerThan(l.stamp());
        return !successor && (r.base() < l.version() || (role == Role.DEVICE && unacknowledged));
    }

    /**
     * Whether a held change is out of date now that it could be applied: the row took a later write
     * while it waited. Under LWW that is a newer stamp; under FIELD_LWW, over a live row, a newer stamp
     * of every column the change carries ({@code stamps}, the row's column stamps: a column without one
     * carries the row's stamp), for the row's stamp may be a merge's, newer than columns it took from
     * older writes. Where the hub decides, stamps say nothing (a device's own write that its hub refused
     * can be newer than the hub's row it must adopt): on a device, a change from its hub is out of date
     * when this replica already holds that hub version of the row or a later one ({@link #seenOnDevice});
     * on the hub, when the row holds a later write of the same writer. Otherwise the policy decides as for
     * any incoming change, so a concurrent write becomes a conflict rather than vanishing.
     */
    boolean staleWhileHeld(SyncedTable t, Role role, LocalRow l, Change r, Map<String, Stamp> stamps) {
        if (l == null || l.stamp().equals(r.stamp())) {
            return false; // a duplicate is counted as one when applied
        }
        return switch (t.policy()) {
            case LWW -> !r.stamp().newerThan(l.stamp());
            case FIELD_LWW ->
                l.tombstone() || r.isDelete()
                        ? !r.stamp().newerThan(l.stamp())
                        : !FieldMerge.anyColumnNewer(t, l, r, stamps);
            default ->
                role == Role.DEVICE
                        ? seenOnDevice(l, r)
                        : l.stamp().origin().equals(r.origin()) && l.stamp().newerThan(r.stamp());
        };
    }

    /**
     * On a device, whether it holds the hub version of the row that the held change {@code r} carries, or a
     * later one. Over its own write that is the hub version the write was made on (its base) or a later one.
     * Over an entry it adopted from its hub, a version below the entry's; the entry's own version only with
     * the entry's stamp (which makes {@code r} a duplicate): another stamp at the same version is another
     * write, made where the hub's history between them was lost to a restore (a deletion the hub wrote, then
     * lost, and its writer's update of the row on the same base, pushed again after the restore). The
     * version alone cannot tell which of the two the hub holds now, so the policy decides, as it would on the
     * change fresh from the hub, instead of dropping it silently.
     */
    private boolean seenOnDevice(LocalRow l, Change r) {
        return l.stamp().origin().equals(localNode) ? r.version() <= l.base() : r.version() < l.version();
    }

    /** {@link #staleWhileHeld(SyncedTable, Role, LocalRow, Change, Map)} over a row whose columns carry its stamp. */
    boolean staleWhileHeld(SyncedTable t, Role role, LocalRow l, Change r) {
        return staleWhileHeld(t, role, l, r, Map.of());
    }
}
