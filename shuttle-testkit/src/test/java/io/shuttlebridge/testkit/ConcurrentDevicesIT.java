package io.shuttlebridge.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.client.Backoff;
import io.shuttlebridge.client.DeviceClone;
import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.core.Postgres;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.core.sync.SyncReport;
import io.shuttlebridge.server.HubDatabases;
import io.shuttlebridge.server.HubServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * Many devices at once against one PostgreSQL hub served from a connection pool: each device writes
 * and syncs over HTTP in a thread of its own, with its own seeded randomness, so pushes and pulls
 * overlap on the hub (which applies and folds them on several connections at a time); after
 * fault-free rounds every replica holds exactly the hub's rows and every write a device had pushed
 * with an acknowledgement survives unless a later write replaced it (checked by convergence and by
 * each device's last acknowledged value per row it alone writes).
 */
class ConcurrentDevicesIT {
    private static final int DEVICES = 12;
    private static final int ROUNDS = 40;

    @TempDir
    Path dir;

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> schedules() {
        return java.util.stream.Stream.of(
                org.junit.jupiter.params.provider.Arguments.of(1L, 1),
                org.junit.jupiter.params.provider.Arguments.of(2L, 1),
                org.junit.jupiter.params.provider.Arguments.of(3L, 2),
                org.junit.jupiter.params.provider.Arguments.of(4L, 2));
    }

    @ParameterizedTest(name = "seed {0}, {1} hub server(s)")
    @org.junit.jupiter.params.provider.MethodSource("schedules")
    void devicesPushingAndPullingAtOnceConverge(long seed, int servers) throws Exception {
        System.out.println(
                "concurrent devices, seed " + seed + ", " + servers + " hub server(s) (replay: the same seed)");
        String url = Postgres.freshDatabase();
        try (ShuttleDatabase setup = ShuttleDatabase.open(url)) {
            setup.execute("CREATE TABLE customer (id BIGINT PRIMARY KEY, name TEXT, visits BIGINT)");
            setup.execute("CREATE TABLE note (id BIGINT PRIMARY KEY, customer_id BIGINT REFERENCES customer(id),"
                    + " body TEXT)");
            Capture.enable(setup);
        }
        // with two, each hub server is what a hub process is: its own engine, pool and feed listener, over one database
        try (ShuttleDatabase hubDb = HubDatabases.open(url, 8);
                HubServer hub = HubServer.builder(SyncEngine.open(hubDb))
                        .host("127.0.0.1")
                        .port(0)
                        .token("concurrent")
                        .start();
                ShuttleDatabase otherDb = HubDatabases.open(url, 8);
                HubServer other = servers < 2
                        ? null
                        : HubServer.builder(SyncEngine.open(otherDb))
                                .host("127.0.0.1")
                                .port(0)
                                .token("concurrent")
                                .start()) {
            assertThat(hubDb.pooled()).isTrue();
            List<ShuttleDatabase> devices = new ArrayList<>();
            List<HttpTransport> transports = new ArrayList<>();
            for (int i = 0; i < DEVICES; i++) {
                ShuttleDatabase d = ShuttleDatabase.sqlite(dir.resolve("device" + i + ".db"));
                HttpTransport t = HttpTransport.builder((other != null && i % 2 == 1 ? other : hub).url())
                        .token("concurrent")
                        .backoff(new Backoff(Duration.ofMillis(20), Duration.ofMillis(500), 8))
                        .build();
                DeviceClone.run(d, t, ProgressListener.NONE);
                devices.add(d);
                transports.add(t);
            }
            ExecutorService pool = Executors.newFixedThreadPool(DEVICES);
            List<Future<Integer>> runs = new ArrayList<>();
            for (int i = 0; i < DEVICES; i++) {
                int device = i;
                runs.add(pool.submit(
                        () -> run(seed * 1000 + device, device, devices.get(device), transports.get(device))));
            }
            int pushed = 0;
            for (Future<Integer> f : runs) {
                pushed += f.get(5, TimeUnit.MINUTES);
            }
            pool.shutdown();
            for (int round = 0; round < 5; round++) {
                int changed = 0;
                for (int i = 0; i < DEVICES; i++) {
                    SyncReport r = SyncEngine.open(devices.get(i)).pullThenPush(transports.get(i));
                    changed += r.applied() + r.pushed() + r.conflicts();
                }
                if (changed == 0) {
                    break;
                }
            }
            assertThat(pushed).as("writes pushed during the concurrent phase").isPositive();
            Convergence.Result result = Convergence.check(hubDb, devices.toArray(ShuttleDatabase[]::new));
            assertThat(result.differences()).as("seed " + seed).isEmpty();
            // every device's own row holds its last write: nothing acknowledged was lost
            for (int i = 0; i < DEVICES; i++) {
                long id = 1_000_000L + i;
                String mine = devices.get(i).read(c -> {
                    try (var rs = c.createStatement().executeQuery("SELECT name FROM customer WHERE id = " + id)) {
                        return rs.next() ? rs.getString(1) : null;
                    }
                });
                String onHub = hubDb.read(c -> {
                    try (var rs = c.createStatement().executeQuery("SELECT name FROM customer WHERE id = " + id)) {
                        return rs.next() ? rs.getString(1) : null;
                    }
                });
                assertThat(onHub)
                        .as("device " + i + "'s own row, seed " + seed)
                        .isEqualTo(mine)
                        .isNotNull();
            }
            devices.forEach(ShuttleDatabase::close);
        }
    }

    /** Random writes and syncs on one device; returns the changes it pushed. */
    private static int run(long seed, int device, ShuttleDatabase db, HttpTransport hub) {
        Random random = new Random(seed);
        SyncEngine engine = SyncEngine.open(db);
        int pushed = 0;
        long own = 1_000_000L + device;
        for (int round = 0; round < ROUNDS; round++) {
            int writes = 1 + random.nextInt(10);
            for (int w = 0; w < writes; w++) {
                long id = 1 + random.nextInt(60); // shared rows: devices collide on them
                switch (random.nextInt(5)) {
                    case 0 -> db.execute("DELETE FROM note WHERE customer_id = ?", id);
                    case 1 ->
                        db.execute(
                                "INSERT INTO note (id, customer_id, body) SELECT ?, id, ? FROM customer WHERE id = ?"
                                        + " ON CONFLICT (id) DO UPDATE SET body = excluded.body",
                                device * 100_000L + round * 100 + w,
                                "n" + round,
                                id);
                    default ->
                        db.execute(
                                "INSERT INTO customer (id, name, visits) VALUES (?, ?, ?)"
                                        + " ON CONFLICT (id) DO UPDATE SET name = excluded.name, visits = excluded.visits",
                                id,
                                "d" + device + "r" + round,
                                (long) random.nextInt(1000));
                }
            }
            db.execute(
                    "INSERT INTO customer (id, name, visits) VALUES (?, ?, 0)"
                            + " ON CONFLICT (id) DO UPDATE SET name = excluded.name",
                    own,
                    "own " + round);
            pushed += engine.pullThenPush(hub).pushed();
        }
        return pushed;
    }
}
