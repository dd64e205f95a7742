package io.shuttlebridge.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.SqliteFiles;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.capture.CaptureOptions;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.id.Hlc;
import io.shuttlebridge.core.id.MillisClock;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import io.shuttlebridge.core.internal.change.FeedEntry;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.internal.feed.FeedReader;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's time comes from its builder's clock: the stamps of the writes it makes while applying,
 * the times its records carry, and the database's clock position after it applied, which later local
 * writes are stamped after. Here every engine runs on a clock a day ahead of the real one, which the
 * database's own clock (SQLite's, stamping captured writes) does not follow.
 */
class EngineClockTest {
    private static final Instant AHEAD = Instant.ofEpochMilli(System.currentTimeMillis() + 86_400_000);

    @TempDir
    Path dir;

    private final AtomicLong now = new AtomicLong(AHEAD.toEpochMilli());
    private final MillisClock clock = now::get;
    private final List<ShuttleDatabase> open = new ArrayList<>();

    @AfterEach
    void close() {
        open.forEach(ShuttleDatabase::close);
    }

    private record Node(Path file, SyncEngine engine) {
        void sql(String... statements) {
            SqliteFiles.exec(file, statements);
        }
    }

    private Node node(String name, ConflictPolicy policy, Map<String, ConflictResolver> resolvers) {
        Path f = dir.resolve(name + ".db");
        SqliteFiles.exec(f, Cluster.SCHEMA);
        ShuttleDatabase db = ShuttleDatabase.sqlite(f);
        open.add(db);
        Capture.enable(db, CaptureOptions.builder().policy(policy).build(), ProgressListener.NONE);
        SyncEngine.Builder b = SyncEngine.builder(db).clock(clock);
        resolvers.forEach(b::resolver);
        return new Node(f, b.build());
    }

    private static SyncReport sync(Node device, Node hub) {
        return device.engine().pullThenPush(new InProcessTransport(hub.engine()));
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

    @Test
    void conflictsAndSyncsAreRecordedAtTheEnginesTime() {
        Node hub = node("hub", ConflictPolicy.MANUAL, Map.of());
        Node a = node("a", ConflictPolicy.MANUAL, Map.of());
        Node b = node("b", ConflictPolicy.MANUAL, Map.of());
        a.sql("INSERT INTO customer (id, name) VALUES (1, 'base')");
        sync(a, hub);
        sync(b, hub);
        a.sql("UPDATE customer SET name = 'a' WHERE id = 1");
        b.sql("UPDATE customer SET name = 'b' WHERE id = 1");
        sync(a, hub);
        now.addAndGet(1_500);
        sync(b, hub); // b pulls a's edit, concurrent with its own

        ConflictRecord conflict = b.engine().conflicts(true).get(0);
        Instant detected = AHEAD.plusMillis(1_500);
        assertThat(conflict.detectedAt()).isEqualTo(detected.toString());
        assertThat(b.engine().cursor(hub.engine().nodeUuid()).lastSyncAt()).isEqualTo(detected.toString());

        now.addAndGet(2_000);
        b.engine().resolve(conflict.id(), new SyncEngine.TakeLocal());
        assertThat(SqliteFiles.query(b.file(), "SELECT resolved_at FROM _shuttle_conflicts")
                        .get(0)
                        .get("resolved_at"))
                .isEqualTo(AHEAD.plusMillis(3_500).toString());
    }

    @Test
    void aWriteTheEngineMakesWhileApplyingIsStampedByItsClock() {
        ConflictResolver concat = (table, local, remote, base) -> local == null || remote == null
                ? new ConflictResolver.KeepLocal()
                : new ConflictResolver.Merged(
                        Map.of("id", local.get("id"), "name", local.get("name") + "+" + remote.get("name")));
        Map<String, ConflictResolver> resolvers = Map.of("customer", concat);
        Node hub = node("hub", ConflictPolicy.CUSTOM, resolvers);
        Node a = node("a", ConflictPolicy.CUSTOM, resolvers);
        Node b = node("b", ConflictPolicy.CUSTOM, resolvers);
        a.sql("INSERT INTO customer (id, name) VALUES (1, 'x')");
        sync(a, hub);
        sync(b, hub);
        a.sql("UPDATE customer SET name = 'a' WHERE id = 1");
        b.sql("UPDATE customer SET name = 'b' WHERE id = 1");
        sync(a, hub);
        now.addAndGet(250);
        sync(b, hub); // b merges a's edit into its own

        Change merged = entry(b, 1);
        assertThat(merged.values()).containsEntry("name", "b+a");
        assertThat(merged.origin()).isEqualTo(b.engine().nodeUuid());
        // the captured writes it merged were stamped by SQLite's clock, a day behind: the merge is the
        // engine's clock at that moment, counter 0
        assertThat(merged.hlc()).isEqualTo(Hlc.pack(AHEAD.toEpochMilli() + 250, 0));
    }

    @Test
    void aStampReceivedAheadOfTheClockWithinTheSkewBoundIsObservedWithoutASkewCheck() {
        Node hub = node("hub", ConflictPolicy.LWW, Map.of());
        String writer = UUID.randomUUID().toString();
        // four minutes: beyond HlcClock's own default bound (60 s, for receive), within the hub's (5 min)
        long farAhead = Hlc.pack(AHEAD.toEpochMilli() + 240_000, 5);
        PushResult r = hub.engine()
                .acceptPush(
                        writer,
                        List.of(new Change(
                                "customer",
                                List.of(1L),
                                Op.UPSERT,
                                Map.of("id", 1L, "name", "from the future"),
                                farAhead,
                                writer,
                                1,
                                0,
                                Map.of())));
        assertThat(r.applied()).isEqualTo(1);
        // the engine's clock observed it, and the database's clock moved to the engine's next stamp,
        // just after it: the hub's next local write is stamped after that
        hub.sql("INSERT INTO customer (id, name) VALUES (2, 'after')");
        assertThat(entry(hub, 2).hlc()).isEqualTo(farAhead + 2);
    }

    @Test
    void aStampPushedFurtherAheadThanTheSkewBoundIsRestampedToTheHubsClock() {
        Node hub = node("hub", ConflictPolicy.LWW, Map.of());
        String writer = UUID.randomUUID().toString();
        long farAhead = Hlc.pack(AHEAD.toEpochMilli() + 3_600_000, 5);
        PushResult r = hub.engine()
                .acceptPush(
                        writer,
                        List.of(new Change(
                                "customer",
                                List.of(1L),
                                Op.UPSERT,
                                Map.of("id", 1L, "name", "from the future"),
                                farAhead,
                                writer,
                                1,
                                0,
                                Map.of())));
        assertThat(r.applied()).isEqualTo(1);
        assertThat(r.restamped()).hasSize(1);
        PushResult.Restamped x = r.restamped().get(0);
        assertThat(x.index()).isZero();
        assertThat(x.stamp().hlc()).isEqualTo(farAhead);
        assertThat(x.aheadMillis()).isEqualTo(3_600_000);
        // applied under the engine's next stamp, same writer: the engine's clock never saw the far stamp
        assertThat(Hlc.millis(x.newHlc())).isEqualTo(AHEAD.toEpochMilli());
        Change held = entry(hub, 1);
        assertThat(held.hlc()).isEqualTo(x.newHlc());
        assertThat(held.origin()).isEqualTo(writer);
        assertThat(held.values()).containsEntry("name", "from the future");
        hub.sql("INSERT INTO customer (id, name) VALUES (2, 'after')");
        assertThat(entry(hub, 2).hlc()).isGreaterThan(x.newHlc()).isLessThan(farAhead);
    }

    @Test
    void afterAnApplyLocalWritesAreStampedAfterTheEnginesClockAndEarlierOnesKeepTheirTime() {
        Node hub = node("hub", ConflictPolicy.LWW, Map.of());
        Node device = node("device", ConflictPolicy.LWW, Map.of());
        hub.sql("INSERT INTO customer (id, name) VALUES (1, 'from the hub')");
        long before = System.currentTimeMillis();
        device.sql("INSERT INTO customer (id, name) VALUES (2, 'logged before the apply')");
        long after = System.currentTimeMillis();

        SyncReport pulled = sync(device, hub);
        assertThat(pulled.applied()).isEqualTo(1);
        device.sql("INSERT INTO customer (id, name) VALUES (3, 'written after the apply')");

        // logged before: folded with its own (SQLite's) time, not moved to the engine's
        assertThat(Hlc.millis(entry(device, 2).hlc())).isBetween(before, after);
        // written after: stamped after the engine's clock, which the apply moved the database's clock to
        assertThat(entry(device, 3).hlc()).isGreaterThan(Hlc.pack(AHEAD.toEpochMilli(), 0));
        assertThat(Hlc.millis(entry(device, 3).hlc())).isEqualTo(AHEAD.toEpochMilli());
    }
}
