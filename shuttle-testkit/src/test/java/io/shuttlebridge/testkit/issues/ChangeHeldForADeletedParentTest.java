package io.shuttlebridge.testkit.issues;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.sync.ConflictRecord;
import io.shuttlebridge.core.sync.PullResult;
import io.shuttlebridge.core.sync.PushResult;
import io.shuttlebridge.core.sync.Transport;
import io.shuttlebridge.testkit.Device;
import io.shuttlebridge.testkit.Replica;
import io.shuttlebridge.testkit.ShuttleTestCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Found by the convergence checker in the simulation (seed 1108, MANUAL, and 12 in 2,000 schedules of
 * the sweep, under VERSION_STRICT, MANUAL and CUSTOM): a change that reached a replica after its
 * parent row was deleted there waited in that replica's pending queue for good. The rows converged,
 * but the acknowledged write was neither applied, nor superseded by a later write, nor kept as a
 * conflict record.
 *
 * <p>Where the hub decides, the hub now decides such a change without its parent when it can: a
 * write concurrent with the hub's row is a conflict whatever its parents; one written before its
 * parent was deleted is concurrent with the delete, which stands, so it is refused and kept as a
 * conflict while the hub's row flows back. A device waits for what its hub decides; for it to hear
 * of it, the hub's row only moves to later versions, even when a delete it already holds arrives
 * again.
 */
class ChangeHeldForADeletedParentTest {
    private static final String[] CUSTOMERS_AND_ORDERS = {
        "CREATE TABLE customer (id INTEGER PRIMARY KEY, city TEXT)",
        "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customer(id),"
                + " total INTEGER)"
    };

    /**
     * A device that has not heard of two deletes (a row and the row it is made to refer to) pushes an
     * update of the row referring to the deleted one: the update, made on a stale base, is a conflict.
     */
    @Test
    void anUpdateOfADeletedRowToReferToADeletedRowIsKeptAsAConflictNotHeld() {
        try (ShuttleTestCluster cluster = ShuttleTestCluster.builder()
                .schema("CREATE TABLE customer (id INTEGER PRIMARY KEY, city TEXT,"
                        + " referred_by INTEGER REFERENCES customer(id))")
                .devices(3)
                .policy(ConflictPolicy.MANUAL)
                .start()) {
            Device stale = cluster.device(0);
            stale.execute("INSERT INTO customer VALUES (3, 'a', NULL)", "INSERT INTO customer VALUES (6, 'b', NULL)");
            cluster.syncAll();
            cluster.device(1).execute("DELETE FROM customer WHERE id = 3");
            cluster.device(1).sync();
            cluster.device(2).execute("DELETE FROM customer WHERE id = 6");
            cluster.device(2).sync();

            stale.execute("UPDATE customer SET referred_by = 3 WHERE id = 6");
            stale.sync(pushOnly(cluster.transport()));
            cluster.syncAll();

            assertThat(cluster.hub().engine().waitingChanges())
                    .as("changes the hub holds for a parent")
                    .isZero();
            assertThat(cluster.replicas().stream()
                            .mapToInt(r -> r.conflicts().size())
                            .sum())
                    .as("conflict records of the update made on a stale base")
                    .isPositive();
            cluster.assertConverged();
        }
    }

    /**
     * An order is written for a customer another device deletes before the order reaches the hub. The
     * delete stands; the order is refused and kept as a conflict on the hub, which writes the order's
     * deletion so that its writer deletes it too (keeping its own record of the conflict).
     */
    @Test
    void aRowWrittenBeforeItsParentWasDeletedIsRefusedAndItsDeletionFlowsBack() {
        try (ShuttleTestCluster cluster = ShuttleTestCluster.builder()
                .schema(CUSTOMERS_AND_ORDERS)
                .devices(2)
                .policy(ConflictPolicy.VERSION_STRICT)
                .start()) {
            Device writer = cluster.device(0);
            writer.execute("INSERT INTO customer VALUES (3, 'a')");
            cluster.syncAll();
            writer.execute("INSERT INTO orders VALUES (10, 3, 5)");
            pause();
            cluster.device(1).execute("DELETE FROM customer WHERE id = 3");
            cluster.device(1).sync();

            writer.sync(pushOnly(cluster.transport()));

            assertThat(cluster.hub().engine().waitingChanges())
                    .as("changes the hub holds for a parent")
                    .isZero();
            assertThat(cluster.hub().rows("orders")).isEmpty();
            assertThat(orderConflicts(cluster.hub())).singleElement().satisfies(c -> {
                assertThat(c.localValues()).isNull();
                assertThat(c.remoteValues()).containsEntry("customer_id", 3L);
            });
            cluster.syncAll();
            cluster.assertConverged();
            assertThat(writer.rows("orders")).isEmpty();
            assertThat(orderConflicts(writer)).isNotEmpty();
        }
    }

    /**
     * A device makes a deleted customer again, writes an order for it, then edits the customer, so
     * the order is sent first, on its own. On the hub the order waits for the customer, whose
     * tombstone is older than the order: the customer that follows releases it, and nothing conflicts.
     */
    @Test
    void aRowWrittenAfterItsParentWasMadeAgainWaitsForTheParentThatFollows() {
        try (ShuttleTestCluster cluster = ShuttleTestCluster.builder()
                .schema(CUSTOMERS_AND_ORDERS)
                .devices(2)
                .policy(ConflictPolicy.VERSION_STRICT)
                .start()) {
            Device writer = cluster.device(0);
            writer.execute("INSERT INTO customer VALUES (3, 'a')");
            cluster.syncAll();
            cluster.device(1).execute("DELETE FROM customer WHERE id = 3");
            cluster.syncAll();
            pause();
            writer.execute("INSERT INTO customer VALUES (3, 'again')", "INSERT INTO orders VALUES (10, 3, 5)");
            writer.execute("UPDATE customer SET city = 'again, edited' WHERE id = 3");

            List<Integer> waiting = new ArrayList<>();
            writer.sync(onePerPush(cluster.transport(), r -> waiting.add(r.pending())));

            assertThat(waiting).as("changes waiting after each push").containsExactly(1, 0);
            assertThat(cluster.hub().rows("orders"))
                    .singleElement()
                    .satisfies(o -> assertThat(o).containsEntry("customer_id", 3L));
            cluster.syncAll();
            cluster.assertConverged();
            assertThat(cluster.replicas())
                    .allSatisfy(r -> assertThat(r.conflicts()).isEmpty());
        }
    }

    /**
     * A device deletes an order and its customer while another edits the order twice. The delivery of
     * the deletes is repeated. The first refuses the order's delete (made on a stale base) and takes the
     * customer's, which deletes the order on the hub as a later version; delivered again, the order's
     * delete agrees with that and must not take its place, or the deleting device, which holds the
     * other's edit waiting for the customer, never hears of a later version of the order.
     */
    @Test
    void aRefusedDeleteDeliveredAgainDoesNotTakeThePlaceOfTheHubsLaterDelete() {
        try (ShuttleTestCluster cluster = ShuttleTestCluster.builder()
                .schema(CUSTOMERS_AND_ORDERS)
                .devices(2)
                .policy(ConflictPolicy.VERSION_STRICT)
                .start()) {
            Device deleter = cluster.device(0);
            Device editor = cluster.device(1);
            deleter.execute("INSERT INTO customer VALUES (1, 'a')", "INSERT INTO orders VALUES (10, 1, 5)");
            cluster.syncAll();
            editor.execute("UPDATE orders SET total = 6 WHERE id = 10");
            editor.sync();
            editor.execute("UPDATE orders SET total = 7 WHERE id = 10");
            editor.sync();

            deleter.execute("DELETE FROM orders WHERE id = 10", "DELETE FROM customer WHERE id = 1");
            deleter.sync(pushedTwice(cluster.transport())); // holds the edit for the customer it deleted
            cluster.syncAll();

            assertThat(deleter.engine().waitingChanges())
                    .as("changes the deleting device holds for a parent")
                    .isZero();
            assertThat(cluster.hub().rows("orders")).isEmpty();
            cluster.assertConverged();
        }
    }

    private static List<ConflictRecord> orderConflicts(Replica r) {
        return r.conflicts().stream().filter(c -> c.table().equals("orders")).toList();
    }

    /** Lets the wall clock move on, so the next write is stamped after the previous one on any node. */
    private static void pause() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** A sync that only pushes (the pull hears nothing), as a sync cut short after its pull would. */
    private static Transport pushOnly(Transport hub) {
        return new Forwarding(hub) {
            @Override
            public PullResult pull(String forNode, long since, int limit) {
                return new PullResult(List.of(), since, false, false);
            }
        };
    }

    /** Each pushed change in a push of its own (as pages of one change), telling {@code seen} each result. */
    private static Transport onePerPush(Transport hub, Consumer<PushResult> seen) {
        return new Forwarding(hub) {
            @Override
            public PushResult push(String fromNode, List<Change> changes) {
                PushResult all = new PushResult(0, 0, 0, 0, List.of(), 0, List.of());
                for (Change c : changes) {
                    PushResult one = hub.push(fromNode, List.of(c));
                    seen.accept(one);
                    all = new PushResult(
                            all.applied() + one.applied(),
                            all.duplicates() + one.duplicates(),
                            all.superseded() + one.superseded(),
                            one.pending(),
                            concat(all.conflicts(), one.conflicts()),
                            one.hubSeq(),
                            concat(all.rejected(), one.rejected()));
                }
                return all;
            }
        };
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /** Every push delivered twice; the device hears the second answer. */
    private static Transport pushedTwice(Transport hub) {
        return new Forwarding(hub) {
            @Override
            public PushResult push(String fromNode, List<Change> changes) {
                hub.push(fromNode, changes);
                return hub.push(fromNode, changes);
            }
        };
    }

    /** A transport that passes every call on to the hub's. */
    private static class Forwarding implements Transport {
        final Transport hub;

        Forwarding(Transport hub) {
            this.hub = hub;
        }

        @Override
        public String hubNode() {
            return hub.hubNode();
        }

        @Override
        public PushResult push(String fromNode, List<Change> changes) {
            return hub.push(fromNode, changes);
        }

        @Override
        public PullResult pull(String forNode, long since, int limit) {
            return hub.pull(forNode, since, limit);
        }

        @Override
        public PullResult snapshot(String forNode, long after, int limit) {
            return hub.snapshot(forNode, after, limit);
        }
    }
}
