package io.shuttlebridge.core.sync;

import io.shuttlebridge.core.change.Change;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * How a device reaches its hub. Implementations: in-process (tests, simulate), HTTP, bundles.
 * Every call is idempotent on the hub side: a batch delivered twice is applied once.
 */
public interface Transport {

    /** The node uuid of the hub this transport reaches: the device keeps its cursors under it. */
    String hubNode();

    /** Pushes a batch of changes made at or relayed by {@code fromNode}; applied atomically. */
    PushResult push(String fromNode, List<Change> changes);

    /**
     * A push made ready to send: whatever can be done before sending (encoding the request, say) is
     * done here, so a caller can prepare the next batch while the hub applies the current one.
     * Sending it is the same as {@link #push}.
     */
    default PreparedPush preparePush(String fromNode, List<Change> changes) {
        return () -> push(fromNode, changes);
    }

    /** A push ready to send, from {@link #preparePush}. */
    @FunctionalInterface
    interface PreparedPush {
        PushResult send();
    }

    /** Changes after {@code since} (a hub seq), excluding those {@code forNode} wrote or sent. */
    PullResult pull(String forNode, long since, int limit);

    /**
     * {@link #pull(String, long, int)} showing where the device stands ({@link Standing}); the answer
     * carries the hub's next ticket. This default, for a transport that carries no standing, ignores it.
     */
    default PullResult pull(String forNode, long since, int limit, Standing standing) {
        return pull(forNode, since, limit);
    }

    /**
     * {@link #preparePush(String, List)} showing where the device stands ({@link Standing}); the answer
     * carries the hub's next ticket. This default, for a transport that carries no standing, ignores it.
     */
    default PreparedPush preparePush(String fromNode, List<Change> changes, Standing standing) {
        return preparePush(fromNode, changes);
    }

    /** The hub's full state (rows and tombstones) after {@code after}, paged, for bootstrap and resync. */
    PullResult snapshot(String forNode, long after, int limit);

    /**
     * The snapshot restricted to {@code tables}, for a device reconciling them (move-in and move-out
     * under sync rules). This default reads the whole snapshot and keeps those tables' entries.
     */
    default PullResult snapshot(String forNode, long after, int limit, Set<String> tables) {
        PullResult all = snapshot(forNode, after, limit);
        return new PullResult(
                all.changes().stream().filter(c -> tables.contains(c.table())).toList(),
                all.next(),
                all.more(),
                all.resyncRequired());
    }

    /**
     * The hub's synced schema moved since {@code device} last followed it (a pull answer says another
     * {@link PullResult#schemaVersion()}): gives the device the hub's new columns and tables (created
     * through the type mapping, triggers installed again, {@link SyncEngine#refreshSchema()}) before the
     * page is applied. Returns whether it could; this default cannot (the device then keeps the tables it
     * has, and a page with a column it lacks is refused as before).
     */
    default boolean followSchema(SyncEngine device) {
        return false;
    }

    /**
     * The hub's {@link KeyDigest} of the rows of {@code table} that {@code forNode} may hold now; empty
     * when the hub cannot say (then the device takes the table's snapshot instead).
     */
    default Optional<KeyDigest> rowDigest(String forNode, String table) {
        return Optional.empty();
    }

    /**
     * The rows of {@code table} that {@code forNode} may read and lacks or holds at another version, given
     * the hashes of the rows it holds ({@link RowSet}), at most {@code limit}; on the last page also its
     * rows that match none it may read ({@link RowDiff#gone()}). Empty when the hub cannot answer it (a
     * hub of an older protocol, a body too large for it): the device then takes the table's snapshot.
     */
    default Optional<RowDiff> rowDiff(String forNode, String table, RowSet have, int limit) {
        return Optional.empty();
    }

    /**
     * A page of the rows of {@code table} that entered {@code forNode}'s set since the cursor {@code since}, as
     * a pull answer naming the table in {@link PullResult#movedIn} says: {@code after} is 0, then the {@link
     * PullResult#next()} of the previous page while {@link PullResult#more()}. Empty when the hub cannot answer
     * it (a hub of an older protocol, or one that finds the table's moves by reconciling it whole): the device
     * then reconciles the table. A {@linkplain PullResult#resyncRequired() resync} answer (a cursor the hub
     * forgot) has it do so too.
     */
    default Optional<PullResult> movedRows(String forNode, String table, long since, long after, int limit) {
        return Optional.empty();
    }
}
