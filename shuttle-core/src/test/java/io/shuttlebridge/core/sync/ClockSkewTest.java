package io.shuttlebridge.core.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.SqliteFiles;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.capture.CaptureOptions;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.id.Hlc;
import io.shuttlebridge.core.id.MillisClock;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import io.shuttlebridge.core.internal.change.FeedEntry;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.internal.feed.FeedReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub's clock skew bound (DESIGN §8): device A's clock runs ten years ahead, so every row it
 * writes is stamped ten years ahead. Without the bound such a write would win over every later write
 * of its row for ten years; with it, the hub takes it under a stamp of its own clock, says so in the
 * push's answer, and A adopts that stamp. A's clock is put ahead by giving its engine a clock ten
 * years ahead: its first apply moves its database's clock position there, and SQLite then stamps
 * every later local write of A from that position.
 */
class ClockSkewTest {
    private static final long TEN_YEARS = Duration.ofDays(3652).toMillis();

    @TempDir
    Path dir;

    private final List<ShuttleDatabase> open = new ArrayList<>();

    @AfterEach
    void close() {
        open.forEach(ShuttleDatabase::close);
    }

    private record Node(Path file, SyncEngine engine) {
        void sql(String... statements) {
            SqliteFiles.exec(file, statements);
        }

        String name(long id) {
            List<Map<String, Object>> rows = SqliteFiles.query(file, "SELECT name FROM customer WHERE id = " + id);
            return rows.isEmpty() ? null : (String) rows.get(0).get("name");
        }
    }

    private Node node(String name, MillisClock clock, Duration maxClockSkew) {
        Path f = dir.resolve(name + ".db");
        SqliteFiles.exec(f, Cluster.SCHEMA);
        ShuttleDatabase db = ShuttleDatabase.sqlite(f);
        open.add(db);
        Capture.enable(db, CaptureOptions.builder().policy(ConflictPolicy.LWW).build(), ProgressListener.NONE);
        SyncEngine.Builder b = SyncEngine.builder(db).clock(clock);
        if (maxClockSkew != null) {
            b.maxClockSkew(maxClockSkew);
        }
        return new Node(f, b.build());
    }

    private static SyncReport sync(Node device, Transport hub) {
        return device.engine().pullThenPush(hub);
    }

    /** The node's feed entry of customer {@code id}. */
    private static Change entry(Node n, long id) {
        ShuttleDatabase db = n.engine().database();
        return db.transaction(c -> new FeedReader(Dialects.of(db), SyncSchema.load(c, Dialects.of(db)))
                .read(c, FeedReader.Query.after(0, 1000)).entries().stream()
                        .map(FeedEntry::change)
                        .filter(ch -> ch.table().equals("customer")
                                && ((Number) ch.key().get(0)).longValue() == id)
                        .findFirst()
                        .orElseThrow());
    }

    /** A hub (bound {@code hubBound}, null: the default), A ten years ahead and B on time, all holding customer 1. */
    private Node[] threeNodes(Duration hubBound) {
        Node hub = node("hub", MillisClock.system(), hubBound);
        Node a = node("a", () -> System.currentTimeMillis() + TEN_YEARS, null);
        Node b = node("b", MillisClock.system(), null);
        hub.sql("INSERT INTO customer (id, name) VALUES (1, 'first')");
        InProcessTransport toHub = new InProcessTransport(hub.engine());
        sync(a, toHub); // A applies the row: its database's clock moves ten years ahead with A's engine clock
        sync(b, toHub);
        return new Node[] {hub, a, b};
    }

    @Test
    void aWriteStampedFarAheadCannotOverwriteALaterHonestEdit() {
        Node[] n = threeNodes(null);
        Node hub = n[0];
        Node a = n[1];
        Node b = n[2];
        InProcessTransport toHub = new InProcessTransport(hub.engine());

        a.sql("UPDATE customer SET name = 'from A, clock ten years ahead' WHERE id = 1");
        long pushedAs = entry(a, 1).hlc();
        assertThat(Hlc.millis(pushedAs)).isGreaterThan(System.currentTimeMillis() + TEN_YEARS - 60_000);
        SyncReport ra = sync(a, toHub);

        // A was told, naming the row and how far ahead it was; its row now carries the hub's stamp
        assertThat(ra.pushed()).isEqualTo(1);
        assertThat(ra.restamped()).hasSize(1);
        SyncReport.Restamped told = ra.restamped().get(0);
        assertThat(told.table()).isEqualTo("customer");
        assertThat(told.key()).containsExactly(1L);
        assertThat(told.hlc()).isEqualTo(pushedAs);
        assertThat(told.aheadMillis()).isBetween(TEN_YEARS - 60_000, TEN_YEARS + 60_000);
        assertThat(Hlc.millis(told.newHlc())).isLessThanOrEqualTo(System.currentTimeMillis());
        assertThat(told.describe()).contains("customer [1]").containsPattern("365[12] d");
        assertThat(entry(a, 1).hlc()).isEqualTo(told.newHlc());
        assertThat(entry(hub, 1).hlc()).isEqualTo(told.newHlc());
        assertThat(entry(hub, 1).origin()).isEqualTo(a.engine().nodeUuid());
        assertThat(hub.name(1)).isEqualTo("from A, clock ten years ahead");

        // B, which has not heard of A's write, edits the row afterwards, honestly
        pause();
        b.sql("UPDATE customer SET name = 'from B, later' WHERE id = 1");
        assertThat(sync(b, toHub).restamped()).isEmpty();
        sync(a, toHub);
        sync(b, toHub);

        for (Node replica : n) {
            assertThat(replica.name(1))
                    .as(replica.file().getFileName().toString())
                    .isEqualTo("from B, later");
        }
    }

    /**
     * The rule is what makes the difference: with a bound of a century, A's write wins over B's later
     * edit everywhere; B's edit is overwritten when B next syncs, and nothing says so.
     */
    @Test
    void withoutTheBoundTheFarAheadWriteWinsOverTheLaterEdit() {
        Node[] n = threeNodes(Duration.ofDays(36_525));
        InProcessTransport toHub = new InProcessTransport(n[0].engine());
        n[1].sql("UPDATE customer SET name = 'from A, clock ten years ahead' WHERE id = 1");
        assertThat(sync(n[1], toHub).restamped()).isEmpty();
        pause();
        n[2].sql("UPDATE customer SET name = 'from B, later' WHERE id = 1");
        sync(n[2], toHub);
        sync(n[1], toHub);
        sync(n[2], toHub);
        for (Node replica : n) {
            assertThat(replica.name(1)).isEqualTo("from A, clock ten years ahead");
        }
    }

    /**
     * A's first push is applied and re-stamped but A never hears the answer; B then edits the row. A,
     * still holding its far stamp, refuses B's edit when it pulls it and pushes its write again: the hub
     * gives it the stamp it gave it the first time, older than B's edit, and sends B's row again, which A
     * takes once it has adopted the hub's stamp.
     */
    @Test
    void aRestampedWritePushedAgainKeepsItsFirstStampAndLosesToTheEditMadeSince() {
        Node[] n = threeNodes(null);
        Node hub = n[0];
        Node a = n[1];
        Node b = n[2];
        InProcessTransport toHub = new InProcessTransport(hub.engine());
        a.sql("UPDATE customer SET name = 'from A, clock ten years ahead' WHERE id = 1");
        long pushedAs = entry(a, 1).hlc();
        assertThatThrownBy(() -> sync(a, answerLost(toHub)))
                .isInstanceOf(ShuttleException.class)
                .hasMessageContaining("answer lost");
        long firstStamp = entry(hub, 1).hlc();
        assertThat(firstStamp).isLessThan(pushedAs);
        assertThat(entry(a, 1).hlc()).isEqualTo(pushedAs); // A did not hear

        sync(b, toHub);
        pause();
        b.sql("UPDATE customer SET name = 'from B, later' WHERE id = 1");
        sync(b, toHub);

        SyncReport again = sync(a, toHub);
        assertThat(again.restamped())
                .singleElement()
                .satisfies(x -> assertThat(x.newHlc()).isEqualTo(firstStamp));
        assertThat(entry(a, 1).hlc()).isEqualTo(firstStamp);
        assertThat(hub.name(1)).isEqualTo("from B, later");
        sync(a, toHub); // hears the hub's row again
        sync(b, toHub);
        for (Node replica : n) {
            assertThat(replica.name(1)).isEqualTo("from B, later");
        }
    }

    @Test
    void aNegativeBoundIsRefused() {
        ShuttleDatabase db = ShuttleDatabase.sqlite(dir.resolve("x.db"));
        open.add(db);
        assertThatThrownBy(() -> SyncEngine.builder(db).maxClockSkew(Duration.ofSeconds(-1)))
                .isInstanceOfSatisfying(
                        ShuttleException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("maximum clock skew must be zero or more");
    }

    /** Lets the wall clock move on, so that a write made next is stamped after the last one. */
    private static void pause() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Pushes reach the hub, but their answers are lost on the way back. */
    private static Transport answerLost(Transport hub) {
        return new Transport() {
            @Override
            public String hubNode() {
                return hub.hubNode();
            }

            @Override
            public PushResult push(String fromNode, List<Change> changes) {
                hub.push(fromNode, changes);
                throw new ShuttleException(ErrorCode.TRANSPORT, "answer lost");
            }

            @Override
            public PullResult pull(String forNode, long since, int limit) {
                return hub.pull(forNode, since, limit);
            }

            @Override
            public PullResult snapshot(String forNode, long after, int limit) {
                return hub.snapshot(forNode, after, limit);
            }
        };
    }
}
