package io.shuttlebridge.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.Postgres;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.internal.protocol.LeaseCodec;
import io.shuttlebridge.core.internal.protocol.Protocol;
import io.shuttlebridge.core.sync.SyncEngine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many devices leasing their short ids at the same moment (64 requests in flight, far more than the
 * pool's connections), over HTTP without any retry of the caller's: every lease is answered 200 with an id no other device holds, on a pooled PostgreSQL hub
 * (where the leases run on many connections at once) and on a SQLite hub.
 */
class ConcurrentLeasesIT {
    private static final int DEVICES = 200;
    private static final int IN_FLIGHT = 64;
    private static final Pattern SHORT_ID = Pattern.compile("\"shortId\"\\s*:\\s*(\\d+)");

    @TempDir
    Path dir;

    @Test
    void twoHundredDevicesLeasingAtOnceOnAPooledPostgresHubAllGetDistinctIds() throws Exception {
        String url = Postgres.freshDatabase();
        try (ShuttleDatabase setup = ShuttleDatabase.open(url)) {
            setup.execute("CREATE TABLE note (id BIGINT PRIMARY KEY, body TEXT)");
            Capture.enable(setup);
        }
        try (ShuttleDatabase db = HubDatabases.open(url, 10);
                HubServer hub = Fixtures.start(SyncEngine.open(db))) {
            List<String> first = newNodes();
            Map<String, Integer> ids = leaseAtOnce(hub, first);
            assertThat(leasesIn(db)).isEqualTo(DEVICES);
            // the same devices renewing at once keep their ids, while as many newcomers take others
            List<String> both = new ArrayList<>(first);
            List<String> newcomers = newNodes();
            both.addAll(newcomers);
            Map<String, Integer> again = leaseAtOnce(hub, both);
            for (String node : first) {
                assertThat(again.get(node)).as(node).isEqualTo(ids.get(node));
            }
            assertThat(leasesIn(db)).isEqualTo(2 * DEVICES);
        }
    }

    @Test
    void devicesLeasingAtOnceOnASqliteHubAllGetDistinctIds() throws Exception {
        try (ShuttleDatabase db = Fixtures.hubDatabase(dir);
                HubServer hub = Fixtures.start(SyncEngine.open(db))) {
            assertThat(leaseAtOnce(hub, newNodes())).hasSize(DEVICES);
            assertThat(leasesIn(db)).isEqualTo(DEVICES);
        }
    }

    private static List<String> newNodes() {
        List<String> nodes = new ArrayList<>();
        for (int i = 0; i < DEVICES; i++) {
            nodes.add(UUID.randomUUID().toString());
        }
        return nodes;
    }

    /**
     * The devices of {@code nodes} leasing together, released at one moment; the short id each got, all
     * answered 200 and no id given to two of them.
     */
    private static Map<String, Integer> leaseAtOnce(HubServer hub, List<String> nodes) throws Exception {
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
        CountDownLatch go = new CountDownLatch(1);
        // more leases at once than the pool has connections, without opening hundreds of sockets at one moment
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        try (ExecutorService devices = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String node : nodes) {
                HttpRequest req = HttpRequest.newBuilder(URI.create(hub.url() + Protocol.LEASE))
                        .timeout(Duration.ofSeconds(60))
                        .header("Authorization", "Bearer " + Fixtures.TOKEN)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(LeaseCodec.request("device-" + node, node)))
                        .build();
                answers.add(devices.submit(() -> {
                    go.await();
                    inFlight.acquire();
                    try {
                        return http.send(req, HttpResponse.BodyHandlers.ofString());
                    } finally {
                        inFlight.release();
                    }
                }));
            }
            go.countDown();
        }
        Map<String, Integer> byNode = new HashMap<>();
        Set<Integer> ids = new HashSet<>();
        List<String> failed = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            HttpResponse<String> r = answers.get(i).get();
            if (r.statusCode() != 200) {
                failed.add(r.statusCode() + " " + r.body());
                continue;
            }
            Matcher m = SHORT_ID.matcher(r.body());
            assertThat(m.find()).as(r.body()).isTrue();
            int id = Integer.parseInt(m.group(1));
            assertThat(ids.add(id)).as("short id %s given twice", id).isTrue();
            byNode.put(nodes.get(i), id);
        }
        http.close();
        assertThat(failed).as("leases refused").isEmpty();
        assertThat(byNode).hasSize(nodes.size());
        return byNode;
    }

    private static long leasesIn(ShuttleDatabase db) {
        return db.read(c -> {
            try (var rs = c.createStatement().executeQuery("SELECT count(DISTINCT short_id) FROM _shuttle_leases")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }
}
