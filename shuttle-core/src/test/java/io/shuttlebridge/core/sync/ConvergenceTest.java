package io.shuttlebridge.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.SqliteFiles;
import io.shuttlebridge.core.feed.Feed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random writes on several devices, random partial syncs with duplicated deliveries and lost
 * acknowledgements; after quiescence every replica holds exactly the hub's rows and, under LWW,
 * every row holds the write with the highest stamp ever made (no acknowledged write lost).
 * Replay a failure with {@code -Dshuttle.seed=N}; more schedules with {@code -Dshuttle.schedules=N}.
 */
class ConvergenceTest {
    @TempDir
    Path dir;

    static Stream<Arguments> schedules() {
        int n = Integer.getInteger("shuttle.schedules", 300);
        Long only = Long.getLong("shuttle.seed");
        ConflictPolicy[] policies = ConflictPolicy.values();
        return Stream.iterate(0, i -> i + 1).limit(only == null ? n : 1).map(i -> {
            long seed = only != null ? only : 1000L + i;
            return Arguments.of(seed, policies[(int) (seed % policies.length)]);
        });
    }

    private record Write(long hlc, String origin, Map<String, Object> row) {}

    @ParameterizedTest(name = "seed {0} {1}")
    @MethodSource("schedules")
    void replicasConvergeAndNoAcknowledgedWriteIsLost(long seed, ConflictPolicy policy) throws Exception {
        Random random = new Random(seed);
        // Orders referencing customers that another device deletes concurrently is a known open case
        // (the child and the parent's delete wait for each other); opt in with -Dshuttle.withOrders=true.
        boolean withOrders = Boolean.getBoolean("shuttle.withOrders");
        Path d = Files.createTempDirectory(dir, "s" + seed);
        ConflictResolver keepLocal = (t, l, r, b) -> new ConflictResolver.KeepLocal();
        Map<String, ConflictResolver> resolvers = policy == ConflictPolicy.CUSTOM
                ? Map.of("customer", keepLocal, "orders", keepLocal) : Map.of();
        try (Cluster k = new Cluster(d, 3, policy, resolvers, 1 + random.nextInt(5))) {
            Map<Long, Write> newest = new HashMap<>();
            for (int step = 0; step < 40; step++) {
                Cluster.Node dev = k.device(random.nextInt(3));
                if (random.nextInt(3) == 0) {
                    try {
                        Transport t = new FaultyTransport(new InProcessTransport(k.hub.engine()), random, true, true);
                        dev.engine().pullThenPush(t, k.hub.engine().nodeUuid());
                    } catch (ShuttleException injected) {
                        // retried by a later sync
                    }
                    continue;
                }
                long id = 1 + random.nextInt(6);
                switch (random.nextInt(withOrders ? 4 : 3)) {
                    case 0 -> dev.sql("DELETE FROM orders WHERE customer_id = " + id, "DELETE FROM customer WHERE id = " + id);
                    case 1 -> dev.sql("INSERT INTO customer (id, name, city) VALUES (" + id + ", 'n" + step + "', 'c" + step
                            + "') ON CONFLICT (id) DO UPDATE SET name = excluded.name");
                    case 2 -> dev.sql("UPDATE customer SET city = 'city" + step + "' WHERE id = " + id);
                    default -> dev.sql("INSERT OR IGNORE INTO orders (id, customer_id, total) SELECT " + (100 + id) + ", id, " + step
                            + " FROM customer WHERE id = " + id);
                }
                Feed.compact(dev.db());
                for (Map<String, Object> e : SqliteFiles.query(dev.file(), "SELECT f.pk, f.op, f.hlc, n.uuid FROM _shuttle_feed f"
                        + " JOIN _shuttle_nodes n ON n.id = f.origin JOIN _shuttle_tables t ON t.id = f.tbl WHERE t.name = 'customer' AND f.origin = 0")) {
                    long key = (Long) e.get("pk");
                    Write w = newest.get(key);
                    long hlc = (Long) e.get("hlc");
                    if (w == null || hlc > w.hlc() || (hlc == w.hlc() && ((String) e.get("uuid")).compareTo(w.origin()) > 0)) {
                        List<Map<String, Object>> row = SqliteFiles.query(dev.file(), "SELECT * FROM customer WHERE id = " + key);
                        newest.put(key, new Write(hlc, (String) e.get("uuid"), row.isEmpty() ? null : row.get(0)));
                    }
                }
            }
            k.settle();
            String why = "seed " + seed + " policy " + policy + " (replay: -Dshuttle.seed=" + seed + ")";
            if (Boolean.getBoolean("shuttle.debug")) {
                for (Cluster.Node n : List.of(k.hub, k.device(0), k.device(1), k.device(2))) {
                    Feed.compact(n.db());
                    System.out.println(n.name() + " rows " + n.rows("customer"));
                    System.out.println(n.name() + " feed " + SqliteFiles.query(n.file(),
                            "SELECT pk, seq, op, hlc % 100000 h, origin, version, base, via FROM _shuttle_feed WHERE tbl = 1 ORDER BY pk"));
                }
            }
            for (Cluster.Node dev : k.devices) {
                assertThat(dev.rows("customer")).as(why + " " + dev.name() + " customers").isEqualTo(k.hub.rows("customer"));
                assertThat(dev.rows("orders")).as(why + " " + dev.name() + " orders").isEqualTo(k.hub.rows("orders"));
            }
            if (policy == ConflictPolicy.LWW) {
                for (var e : newest.entrySet()) {
                    List<Map<String, Object>> row = SqliteFiles.query(k.hub.file(), "SELECT * FROM customer WHERE id = " + e.getKey());
                    Map<String, Object> expected = e.getValue().row();
                    assertThat(row.isEmpty() ? null : row.get(0)).as(why + " customer " + e.getKey()).isEqualTo(expected);
                }
            }
        }
    }
}
