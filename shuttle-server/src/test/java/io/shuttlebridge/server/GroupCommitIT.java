package io.shuttlebridge.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.MariaDb;
import io.shuttlebridge.core.Postgres;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.capture.CaptureOptions;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.id.Hlc;
import io.shuttlebridge.core.internal.sync.EngineAccess;
import io.shuttlebridge.core.internal.sync.HubSide;
import io.shuttlebridge.core.sync.PullResult;
import io.shuttlebridge.core.sync.PushResult;
import io.shuttlebridge.core.sync.SyncEngine;
import java.sql.Connection;
import java.sql.PreparedStatement;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Pushes arriving together on a pooled PostgreSQL or MariaDB hub are committed in groups, and each stays atomic:
 * a push with a change the hub's database refuses is left out of its group and applied alone (the
 * refused change reported, the rest of it applied), the others of its group commit without it; devices
 * pulling meanwhile see every change once, in seq order, never skipping one. Meanwhile programs write
 * to the hub's table on sessions of their own (captured by the triggers, folded by the pushes and pulls
 * under the fold lock): on InnoDB, their log rows and the fold lock are where deadlocks would be, and a
 * push that loses such a race is run again whole. On MariaDB also with the FIELD_LWW policy, where each fold
 * also stamps the column clocks the local writers' triggers left pending.
 */
class GroupCommitIT {
    private static final int DEVICES = 16;
    private static final int PUSHES = 15;
    private static final int ROWS = 5;
    private static final int PULLERS = 2;

    private static final int LOCAL_WRITERS = 3;
    private static final int LOCAL_WRITES = 40;

    @ParameterizedTest(name = "{0}, {1}")
    @CsvSource({"postgresql, LWW", "mariadb, LWW", "mariadb, FIELD_LWW"})
    void concurrentPushesCommitInGroupsEachWholeAndPullersMissNothing(String product, ConflictPolicy policy)
            throws Exception {
        boolean maria = product.equals("mariadb");
        String url = maria ? MariaDb.freshDatabase() : Postgres.freshDatabase();
        try (ShuttleDatabase setup = ShuttleDatabase.open(url)) {
            setup.execute("CREATE TABLE item (id BIGINT PRIMARY KEY, code VARCHAR(16) NOT NULL, qty INTEGER,"
                    + " CONSTRAINT item_qty_check CHECK (qty >= 0))");
            // FIELD_LWW: the local writers' triggers also write pending column stamps, which every fold stamps
            Capture.enable(setup, CaptureOptions.builder().policy(policy).build(), ProgressListener.NONE);
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
            List<Future<List<Long>>> locals = new ArrayList<>();
            for (int w = 0; w < LOCAL_WRITERS; w++) {
                int writer = w;
                locals.add(threads.submit(() -> writeLocally(url, maria, writer, new Random(seed - writer), go)));
            }
            List<Future<List<Long>>> pullers = new ArrayList<>();
            for (int p = 0; p < PULLERS; p++) {
                pullers.add(threads.submit(() -> pull(hub, pushing, go)));
            }
            long deadlocksBefore = maria ? deadlocks(url) : 0;
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
            for (Future<List<Long>> f : locals) {
                applied.addAll(f.get());
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
            if (maria) {
                System.out.println("GroupCommitIT " + policy + " on MariaDB: InnoDB deadlocks during the run "
                        + (deadlocks(url) - deadlocksBefore));
            }
        }
    }

    /** The server's count of deadlocks InnoDB resolved so far (all its databases). */
    private static long deadlocks(String url) {
        return Long.parseLong(String.valueOf(MariaDb.query(url, "SHOW GLOBAL STATUS LIKE 'Innodb_deadlocks'")
                .get(0)
                .get("Value")));
    }

    /**
     * A program writing rows to the hub's table on a session of its own, at the database's default isolation,
     * one to three rows a transaction: the ids it wrote.
     */
    private static List<Long> writeLocally(String url, boolean maria, int writer, Random random, CountDownLatch go)
            throws Exception {
        go.await();
        List<Long> ids = new ArrayList<>();
        try (Connection c = maria ? MariaDb.connect(url) : Postgres.connect(url);
                PreparedStatement insert = c.prepareStatement("INSERT INTO item (id, code, qty) VALUES (?, ?, ?)")) {
            c.setAutoCommit(false);
            long id = 900_000_000L + writer * 1_000_000L;
            for (int t = 0; t < LOCAL_WRITES; t++) {
                int n = 1 + random.nextInt(3);
                for (int i = 0; i < n; i++) {
                    insert.setLong(1, ++id);
                    insert.setString(2, "local" + writer);
                    insert.setInt(3, i);
                    insert.executeUpdate();
                    ids.add(id);
                }
                Thread.sleep(random.nextInt(3));
                c.commit();
            }
        }
        return ids;
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
