package io.shuttlebridge.core.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.internal.feed.FeedReader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pushing reads the next page and records acknowledgements beside the hub's apply; a failure in
 * the middle leaves exactly the pages the hub took acknowledged, and capture is switched off only
 * inside an apply transaction.
 */
class PushPipelineTest {
    @TempDir
    Path dir;

    private static final int PAGE = 50;

    /** Forwards to the hub and fails the given push (1-based) before it reaches the hub. */
    private static class FailingTransport implements Transport {
        private final Transport hub;
        private final int failAt;
        final AtomicInteger pushes = new AtomicInteger();

        FailingTransport(Transport hub, int failAt) {
            this.hub = hub;
            this.failAt = failAt;
        }

        @Override
        public String hubNode() {
            return hub.hubNode();
        }

        @Override
        public PushResult push(String fromNode, List<Change> changes) {
            if (pushes.incrementAndGet() == failAt) {
                throw new ShuttleException(ErrorCode.TRANSPORT, "connection reset (injected)");
            }
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

    /** Forwards to the hub and fails the given pull (1-based). */
    private static final class FailingPulls extends FailingTransport {
        private final int failPullAt;
        private final AtomicInteger pulls = new AtomicInteger();

        FailingPulls(Transport hub, int failPullAt) {
            super(hub, -1);
            this.failPullAt = failPullAt;
        }

        @Override
        public PullResult pull(String forNode, long since, int limit) {
            if (pulls.incrementAndGet() == failPullAt) {
                throw new ShuttleException(ErrorCode.TRANSPORT, "connection reset (injected)");
            }
            return super.pull(forNode, since, limit);
        }
    }

    private static long feed(Cluster.Node n, String sql) {
        return n.db().read(c -> Jdbc.queryLong(c, sql)).orElse(0L);
    }

    @Test
    void thePushCursorMovesOverWhatAPullBringsWhenNothingOfTheDevicesOwnWaits() {
        try (Cluster k = new Cluster(dir, 2, ConflictPolicy.LWW, Map.of(), PAGE)) {
            insertCustomers(k.device(0), 1, 6 * PAGE);
            k.sync(k.device(0));
            Cluster.Node device = k.device(1);
            String hubNode = k.hub.engine().nodeUuid();
            Transport hub = new InProcessTransport(k.hub.engine());

            // a pull cut short after its first page, before any push: the cursor already moved over that page, so
            // that no push reads the entries of rows it received to find nothing of its own
            assertThatThrownBy(() -> device.engine().pullThenPush(new FailingPulls(hub, 2)))
                    .hasMessageContaining("injected");
            long top = feed(device, "SELECT max(seq) FROM _shuttle_feed");
            assertThat(device.rows("customer")).hasSize(PAGE);
            assertThat(device.engine().cursor(hubNode).lastPushed()).isEqualTo(top);

            // a write of its own waits: the pulls that follow leave the cursor before it, and the push sends it
            device.sql("UPDATE customer SET city = 'Oslo' WHERE id = 17");
            assertThatThrownBy(() -> device.engine().pullThenPush(new FailingPulls(hub, 3)))
                    .hasMessageContaining("injected");
            long own = feed(device, "SELECT max(seq) FROM _shuttle_feed WHERE via IS NULL");
            assertThat(own).isPositive();
            assertThat(device.engine().cursor(hubNode).lastPushed()).isLessThan(own);
            SyncReport r = k.sync(device);
            assertThat(r.pushed()).isEqualTo(1);
            assertThat(k.hub.rows("customer"))
                    .filteredOn(row -> ((Number) row.get("id")).longValue() == 17)
                    .extracting(row -> row.get("city"))
                    .containsExactly("Oslo");
            k.settle();
            assertThat(device.rows("customer"))
                    .isEqualTo(k.hub.rows("customer"))
                    .hasSize(6 * PAGE);
            assertThat(device.engine().cursor(hubNode).lastPushed())
                    .isEqualTo(feed(device, "SELECT max(seq) FROM _shuttle_feed"));
        }
    }

    private static void insertCustomers(Cluster.Node n, int from, int count) {
        String[] sql = new String[count];
        for (int i = 0; i < count; i++) {
            sql[i] = "INSERT INTO customer (id, name) VALUES (" + (from + i) + ", 'c" + (from + i) + "')";
        }
        n.sql(sql);
    }

    @Test
    void aFailedPageLeavesTheEarlierPagesAcknowledgedAndTheRetryCompletesWithoutDuplicates() {
        try (Cluster k = new Cluster(dir, 1, ConflictPolicy.LWW, Map.of(), PAGE)) {
            Cluster.Node device = k.device(0);
            insertCustomers(device, 1, 5 * PAGE);
            FailingTransport failing = new FailingTransport(new InProcessTransport(k.hub.engine()), 3);
            assertThatThrownBy(() -> device.engine().pullThenPush(failing))
                    .isInstanceOf(ShuttleException.class)
                    .hasMessageContaining("injected");

            // the two pages the hub took are acknowledged, the rest is not
            assertThat(k.hub.rows("customer")).hasSize(2 * PAGE);
            PeerCursor cursor = device.engine().cursor(k.hub.engine().nodeUuid());
            assertThat(cursor.lastPushed()).isEqualTo(2L * PAGE);

            SyncReport retry = k.sync(device);
            assertThat(retry.pushed()).isEqualTo(3 * PAGE);
            assertThat(retry.pushDuplicates()).isZero();
            assertThat(k.hub.rows("customer"))
                    .isEqualTo(device.rows("customer"))
                    .hasSize(5 * PAGE);
            assertThat(k.sync(device).pushed()).isZero();
        }
    }

    @Test
    void writesMadeWhilePushingAreSentByTheNextSync() {
        try (Cluster k = new Cluster(dir, 1, ConflictPolicy.LWW, Map.of(), PAGE)) {
            Cluster.Node device = k.device(0);
            insertCustomers(device, 1, 3 * PAGE);
            AtomicInteger pushes = new AtomicInteger();
            Transport writingMeanwhile = new FailingTransport(new InProcessTransport(k.hub.engine()), -1) {
                @Override
                public PushResult push(String fromNode, List<Change> changes) {
                    if (pushes.incrementAndGet() == 1) {
                        insertCustomers(device, 10_000, 7); // an application writes during the sync
                    }
                    return super.push(fromNode, changes);
                }
            };
            device.engine().pullThenPush(writingMeanwhile);
            k.settle();
            assertThat(k.hub.rows("customer"))
                    .isEqualTo(device.rows("customer"))
                    .hasSize(3 * PAGE + 7);
        }
    }

    @Test
    void captureIsOnAgainAfterAnApplyAndAfterAFailedOne() throws Exception {
        try (Cluster k = new Cluster(dir, 2, ConflictPolicy.LWW)) {
            insertCustomers(k.device(0), 1, 10);
            k.settle();
            // a remote change is applied on device 1 without echo; a plain write afterwards is captured
            assertThat(k.device(1).engine().pendingChanges(null)).isZero();
            try (Connection c = DriverManager.getConnection(
                            "jdbc:sqlite:" + k.device(1).file());
                    Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE customer SET city = 'Lima' WHERE id = 3");
            }
            assertThat(k.device(1).engine().pendingChanges(null)).isEqualTo(1);

            // an apply that fails half-way rolls back with capture switched back on
            SyncEngine failing = SyncEngine.builder(k.device(1).db())
                    .applyListener(ch -> {
                        throw new IllegalStateException("crash in the middle of an apply (injected)");
                    })
                    .build();
            k.device(0).sql("UPDATE customer SET name = 'renamed' WHERE id = 4");
            k.sync(k.device(0));
            assertThatThrownBy(() -> failing.pullThenPush(new InProcessTransport(k.hub.engine())))
                    .hasMessageContaining("injected");
            assertThat(k.device(1)
                            .db()
                            .read(c -> Jdbc.queryLong(c, "SELECT count(*) FROM _shuttle_applying"))
                            .orElseThrow())
                    .isZero();
            try (Connection c = DriverManager.getConnection(
                            "jdbc:sqlite:" + k.device(1).file());
                    Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE customer SET city = 'Quito' WHERE id = 5");
            }
            assertThat(k.device(1).engine().pendingChanges(null)).isEqualTo(2);
            k.settle();
            assertThat(k.device(0).rows("customer"))
                    .isEqualTo(k.device(1).rows("customer"))
                    .isEqualTo(k.hub.rows("customer"));
        }
    }

    @Test
    void aPushAfterManyReceivedRowsReadsOnlyTheLocalOnesAndTheCursorReachesTheTop() {
        try (Cluster k = new Cluster(dir, 2, ConflictPolicy.LWW, Map.of(), PAGE)) {
            insertCustomers(k.device(0), 1, 6 * PAGE);
            k.settle(); // device 1 now holds 300 rows it received from the hub
            Cluster.Node device = k.device(1);
            device.sql(
                    "UPDATE customer SET city = 'Oslo' WHERE id = 17",
                    "UPDATE customer SET city = 'Rome' WHERE id = 230");
            String hubNode = k.hub.engine().nodeUuid();
            FeedReader.Page page = device.db()
                    .transaction(c -> new FeedReader(
                                    Dialects.of(device.db()), SyncSchema.load(c, Dialects.of(device.db())))
                            .read(c, FeedReader.Query.after(0, PAGE).excludingPeer(hubNode)));
            assertThat(page.entries()).extracting(e -> e.change().key().get(0)).containsExactly(17L, 230L);
            assertThat(page.entries())
                    .extracting(e -> e.change().values().get("city"))
                    .containsExactly("Oslo", "Rome");
            assertThat(page.more()).isFalse();
            long top = device.db()
                    .read(c -> Jdbc.queryLong(c, "SELECT max(seq) FROM _shuttle_feed"))
                    .orElseThrow();
            assertThat(page.lastSeq()).isEqualTo(top);

            SyncReport r = k.sync(device);
            assertThat(r.pushed()).isEqualTo(2);
            assertThat(device.engine().cursor(hubNode).lastPushed()).isEqualTo(top);
            k.settle();
            assertThat(k.device(0).rows("customer"))
                    .isEqualTo(device.rows("customer"))
                    .isEqualTo(k.hub.rows("customer"));
        }
    }
}
