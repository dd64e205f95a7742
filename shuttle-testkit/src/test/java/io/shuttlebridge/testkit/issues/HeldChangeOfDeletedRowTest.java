package io.shuttlebridge.testkit.issues;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.sync.PullResult;
import io.shuttlebridge.core.sync.PushResult;
import io.shuttlebridge.core.sync.Transport;
import io.shuttlebridge.testkit.Device;
import io.shuttlebridge.testkit.ShuttleTestCluster;
import java.util.List;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * Found by the convergence checker in the simulation (seed 1108, MANUAL): under MANUAL a device
 * that has not heard of two deletes (a row and the row it is made to refer to) pushes an update of
 * the row referring to the deleted one. The hub holds it in its pending queue, waiting for the
 * parent; the device then pulls both deletes and takes the hub's rows. The update was acknowledged,
 * yet it is not applied, not superseded by a later write, and no replica keeps a conflict record of
 * it: it waits on the hub for a parent that will not come. The rows converge; the write is lost to
 * everyone but the hub's queue. Enable this test with the fix in the apply path.
 */
class HeldChangeOfDeletedRowTest {
    @Test
    @Disabled("the apply path holds the update on the hub for good: see the class comment")
    void anUpdateOfADeletedRowPushedBeforeTheDeleteWasHeardIsNotHeldForGood() {
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

    /** A sync that only pushes (the pull hears nothing), as a sync cut short after its pull would. */
    private static Transport pushOnly(Transport hub) {
        return new Transport() {
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
                return new PullResult(List.of(), since, false, false);
            }

            @Override
            public PullResult snapshot(String forNode, long after, int limit) {
                return hub.snapshot(forNode, after, limit);
            }
        };
    }
}
