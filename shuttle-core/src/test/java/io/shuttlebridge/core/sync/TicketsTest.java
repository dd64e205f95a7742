package io.shuttlebridge.core.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.change.Change;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tickets a hub hands out with every answer ({@link Standing}): answers lost on the way, pushes in
 * flight while earlier answers are being kept, and crashes before an answer is kept never make a device
 * look like a copy of itself; a copy, a restored hub and bad standings are told apart.
 */
class TicketsTest {
    @TempDir
    Path dir;

    /** The hub does the work, then the answer is lost (or the device dies before keeping it) at random. */
    private static final class LosingAnswers implements Transport {
        private final InProcessTransport hub;
        private final Random random;
        int lost;

        LosingAnswers(SyncEngine hub, long seed) {
            this.hub = new InProcessTransport(hub);
            this.random = new Random(seed);
        }

        private <T> T maybeLose(T answer) {
            if (random.nextInt(3) == 0) {
                lost++;
                throw new ShuttleException(ErrorCode.TRANSPORT, "the answer was lost");
            }
            return answer;
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
        public PullResult pull(String forNode, long since, int limit, Standing standing) {
            return maybeLose(hub.pull(forNode, since, limit, standing));
        }

        @Override
        public PreparedPush preparePush(String fromNode, List<Change> changes, Standing standing) {
            PreparedPush p = hub.preparePush(fromNode, changes, standing);
            return () -> maybeLose(p.send());
        }

        @Override
        public PullResult snapshot(String forNode, long after, int limit) {
            return hub.snapshot(forNode, after, limit);
        }
    }

    @Test
    void lostAnswersAndPipelinedPushesNeverLookLikeACopy() {
        try (Replicas r = Replicas.sqliteHub(dir, ConflictPolicy.LWW)) {
            r.addDevice("a");
            r.addDevice("b");
            SyncEngine a = SyncEngine.builder(r.db("a")).pageSize(7).build(); // many pages, pushed in a pipeline
            LosingAnswers lossy = new LosingAnswers(r.hub(), 42);
            int id = 0;
            for (int round = 0; round < 60; round++) {
                for (int k = 0; k < 1 + round % 20; k++) {
                    id++;
                    r.write("a", "INSERT INTO note VALUES (" + id + ", 'a" + id + "')");
                }
                r.write("b", "INSERT INTO note VALUES (" + (100_000 + round) + ", 'b')");
                r.sync("b");
                try {
                    a.pullThenPush(lossy);
                } catch (ShuttleException e) {
                    assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.TRANSPORT);
                }
            }
            assertThat(lossy.lost).isGreaterThan(20);
            a.pullThenPush(new InProcessTransport(r.hub()));
            r.sync("b");
            assertThat(r.notes("a")).hasSize(id + 60).isEqualTo(r.hubNotes()).isEqualTo(r.notes("b"));
        }
    }

    @Test
    void aCopyIsCaughtEvenWhenTheOriginalOnlyPulledSince() {
        try (Replicas r = Replicas.sqliteHub(dir, ConflictPolicy.LWW)) {
            r.addDevice("a");
            r.addDevice("b");
            r.write("a", "INSERT INTO note VALUES (1, 'one')");
            r.sync("a");
            r.stop("a");
            r.copy("a", "copy");
            r.start("a");
            r.write("b", "INSERT INTO note VALUES (2, 'two')");
            r.sync("b");
            SyncReport pullOnly = r.sync("a"); // shows the ticket both files hold, with a nonce of its own
            assertThat(pullOnly.pushed()).isZero();
            assertThatThrownBy(() -> r.sync("copy"))
                    .isInstanceOfSatisfying(
                            ShuttleException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NODE_COPIED))
                    .hasMessageContaining("which another database showed first");
            assertThat(r.sync("a").pulled()).isZero();
        }
    }

    @Test
    void theHubTellsARestoreOfItselfFromACopyAndAStandingItCannotRead() {
        try (Replicas r = Replicas.sqliteHub(dir, ConflictPolicy.LWW)) {
            r.addDevice("a");
            r.sync("a");
            String node = r.engine("a").nodeUuid();
            SyncEngine hub = r.hub();
            assertThatThrownBy(() -> hub.servePull(node, 0, 10, new Standing(99, "n", null, false)))
                    .isInstanceOfSatisfying(
                            ShuttleException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.HUB_RESTORED))
                    .hasMessageContaining("never handed out");
            // told, the device's record stands for the one the hub lost
            PullResult adopted = hub.servePull(node, 0, 10, new Standing(99, "n", null, true));
            assertThat(adopted.ticket()).isEqualTo(100);
            assertThat(hub.servePull(node, 0, 10, new Standing(100, "m", null, false))
                            .ticket())
                    .isEqualTo(101);
            assertThatThrownBy(() -> hub.servePull(node, 0, 10, new Standing(99, "n", null, false)))
                    .isInstanceOfSatisfying(
                            ShuttleException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NODE_COPIED));
            assertThatThrownBy(() -> new Standing(-1, null, null, false)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
