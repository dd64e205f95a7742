package io.shuttlebridge.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.Postgres;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.id.Hlc;
import io.shuttlebridge.core.internal.sync.EngineAccess;
import io.shuttlebridge.core.internal.sync.HubSide;
import io.shuttlebridge.core.sync.PullResult;
import io.shuttlebridge.core.sync.PushResult;
import io.shuttlebridge.core.sync.SyncEngine;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Pushes arriving together on a pooled PostgreSQL hub are committed in groups, and each stays atomic:
 * a push with a change the hub's database refuses is left out of its group and applied alone (the
 * refused change reported, the rest of it applied), the others of its group commit without it; devices
 * pulling meanwhile see every change once, in seq order, never skipping one.
 */
class GroupCommitIT {
    private static final int DEVICES = 16;
    private static final int PUSHES = 15;
    private static final int ROWS = 5;
    private static final int PULLERS = 2;

    @Test
    void concurrentPushesCommitInGroupsEachWholeAndPullersMissNothing() throws Exception {
        String url = Postgres.freshDatabase();
        try (ShuttleDatabase setup = ShuttleDatabase.open(url)) {
            setup.execute("CREATE TABLE item (id BIGINT PRIMARY KEY, code VARCHAR(16) NOT NULL, qty INTEGER,"
                    + " CONSTRAINT item_qty_check CHECK (qty >= 0))");
            Capture.enable(setup);
        }
        long seed = System.nanoTime();
        System.out.println("GroupCommitIT seed " + seed);
        try (ShuttleDatabase db = HubDatabases.open(url, 10)) {
            HubSide hub = new HubSide(EngineAccess.context(SyncEngine.open(db)));
            ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
            CountDownLatch go = new CountDownLatch(1);
            AtomicBoolean pushing = new AtomicBoolean(true);
            List<Future<List<Pushed>>> devices = new ArrayList<>();
            for (int d = 0; d < DEVICES; d++) {
                int device = d;
                devices.add(threads.submit(() -> push(hub, device, new Random(seed + device), go)));
            }
            List<Future<List<Long>>> pullers = new ArrayList<>();
            for (int p = 0; p < PULLERS; p++) {
                pullers.add(threads.submit(() -> pull(hub, pushing, go)));
            }
            go.countDown();
            Set<Long> applied = new HashSet<>();
            int poisoned = 0;
            for (Future<List<Pushed>> f : devices) {
                for (Pushed p : f.get()) {
                    if (p.poisonAt() >= 0) {
                        poisoned++;
                        assertThat(p.result().refused())
                                .as("seed %d", seed)
                                .extracting(PushResult.Refusal::index)
                                .containsExactly(p.poisonAt());
                        assertThat(p.result().applied()).isEqualTo(ROWS - 1);
                    } else {
                        assertThat(p.result().refused()).isEmpty();
                        assertThat(p.result().applied()).as("seed %d", seed).isEqualTo(ROWS);
                    }
                    for (int i = 0; i < ROWS; i++) {
                        if (i != p.poisonAt()) {
                            applied.add(p.firstId() + i);
                        }
                    }
                }
            }
            pushing.set(false);
            assertThat(poisoned).isPositive();
            assertThat(rows(db, "SELECT count(*) FROM item")).isEqualTo(applied.size());
            assertThat(rows(db, "SELECT count(DISTINCT seq) FROM _shuttle_feed"))
                    .isEqualTo(applied.size());
            for (Future<List<Long>> f : pullers) {
                List<Long> seen = f.get();
                assertThat(seen)
                        .as("a puller saw every applied row once (seed %d)", seed)
                        .doesNotHaveDuplicates()
                        .containsExactlyInAnyOrderElementsOf(applied);
            }
            assertThat(hub.groupedPushes())
                    .as("pushes committed in a group with others")
                    .isPositive();
            assertThat(hub.pushGroups()).as("fewer transactions than pushes").isLessThan(DEVICES * PUSHES);
            threads.shutdown();
        }
    }

    private record Pushed(long firstId, int poisonAt, PushResult result) {}

    /** One device's pushes of {@link #ROWS} new rows each, some with a row the hub's CHECK refuses. */
    private static List<Pushed> push(HubSide hub, int device, Random random, CountDownLatch go) throws Exception {
        String node = UUID.randomUUID().toString();
        go.await();
        List<Pushed> out = new ArrayList<>();
        long hlc = System.currentTimeMillis() << Hlc.COUNTER_BITS;
        for (int p = 0; p < PUSHES; p++) {
            long first = (long) device * 1_000_000 + p * ROWS;
            int poison = random.nextInt(5) == 0 ? random.nextInt(ROWS) : -1;
            List<Change> changes = new ArrayList<>();
            for (int i = 0; i < ROWS; i++) {
                Map<String, Object> values = new LinkedHashMap<>();
                values.put("id", first + i);
                values.put("code", "d" + device + "-" + (first + i));
                values.put("qty", i == poison ? -1 : i);
                changes.add(new Change("item", List.of(first + i), Op.UPSERT, values, ++hlc, node, 1, 0, Map.of()));
            }
            out.add(new Pushed(first, poison, hub.acceptPush(node, changes)));
        }
        return out;
    }

    /** A device pulling page after page while the others push, then once more: the ids it got, in order. */
    private static List<Long> pull(HubSide hub, AtomicBoolean pushing, CountDownLatch go) throws Exception {
        String node = UUID.randomUUID().toString();
        go.await();
        List<Long> ids = new ArrayList<>();
        long cursor = 0;
        long lastSeq = 0;
        boolean last = false;
        while (true) {
            boolean drain = !pushing.get();
            PullResult page = hub.servePull(node, cursor, 37);
            for (Change c : page.changes()) {
                ids.add(((Number) c.key().get(0)).longValue());
            }
            assertThat(page.next()).isGreaterThanOrEqualTo(lastSeq);
            lastSeq = page.next();
            cursor = page.next();
            if (drain && !page.more()) {
                if (last) {
                    return ids;
                }
                last = true;
            }
        }
    }

    private static long rows(ShuttleDatabase db, String sql) {
        return db.read(c -> {
            try (var rs = c.createStatement().executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }
}
