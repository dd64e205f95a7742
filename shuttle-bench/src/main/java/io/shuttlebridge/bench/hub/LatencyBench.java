package io.shuttlebridge.bench.hub;

import io.shuttlebridge.bench.BenchFiles;
import io.shuttlebridge.bench.Report;
import io.shuttlebridge.client.DeviceClone;
import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.client.LiveSync;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.sync.SyncEngine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * End-to-end latency: a row committed on device A with plain SQL until it can be read in device
 * B's database, both devices live ({@link LiveSync}) on a PostgreSQL hub over HTTP and WebSocket
 * on loopback. A notices its own commit by polling its outbox, pushes; the hub notifies B on the
 * stream; B pulls and applies. Same-run baseline: a bare HTTP round trip to the hub's
 * {@code /health}, the floor any change must pay at least twice.
 *
 * <p>Run: {@code ./shuttle bench latency --changes 1000}
 */
@Command(
        name = "latency",
        mixinStandardHelpOptions = true,
        description = "p50/p99 of a change committed on device A until it is in device B's database, both live.")
public final class LatencyBench implements Callable<Integer> {
    @Option(names = "--changes", defaultValue = "1000", description = "Changes measured (default ${DEFAULT-VALUE}).")
    int changes;

    @Option(
            names = "--warmup",
            defaultValue = "100",
            description = "Changes made first and not measured (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private static final LiveSync.Settings LIVE =
            new LiveSync.Settings(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofSeconds(30));

    @Override
    public Integer call() throws Exception {
        if (changes <= 0 || warmup < 0) {
            throw new IllegalArgumentException("--changes must be positive and --warmup not negative");
        }
        Path dir = Files.createTempDirectory("shuttle-bench-latency");
        Report report = new Report("latency")
                .fact("changes", changes)
                .fact("warmup", warmup)
                .fact(
                        "live",
                        "debounce " + LIVE.debounce().toMillis() + " ms, local poll "
                                + LIVE.localPoll().toMillis() + " ms");
        try (BenchPostgres pg = BenchPostgres.start("latency")) {
            report.fact("hub", "HubServer over " + pg.where() + ", HTTP + WebSocket on loopback")
                    .fact("auth", BenchHub.AUTH);
            pg.exec(String.format(BenchRows.PG_TABLE, "item"));
            try (BenchHub hub = BenchHub.start(pg, SyncEngine.DEFAULT_MAX_BATCH);
                    ShuttleDatabase a = ShuttleDatabase.sqlite(dir.resolve("a.db"));
                    ShuttleDatabase b = ShuttleDatabase.sqlite(dir.resolve("b.db"))) {
                HttpTransport http = hub.transport();
                String hubNode = DeviceClone.run(a, http, ProgressListener.NONE).hubNode();
                DeviceClone.run(b, http, ProgressListener.NONE);
                long[] floor = healthRoundTrips(URI.create(hub.url()), warmup + changes);
                try (LiveSync la = LiveSync.start(SyncEngine.open(a), http, hubNode, LIVE, LiveSync.Listener.NONE);
                        LiveSync lb = LiveSync.start(SyncEngine.open(b), http, hubNode, LIVE, LiveSync.Listener.NONE);
                        Connection wa = a.newConnection();
                        Connection rb = b.newConnection();
                        PreparedStatement insert = wa.prepareStatement(
                                "INSERT INTO item (id, sku, name, qty, price) VALUES (?, ?, ?, ?, ?)");
                        PreparedStatement find = rb.prepareStatement("SELECT 1 FROM item WHERE id = ?")) {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (!(la.connected() && lb.connected()) && System.nanoTime() < deadline) {
                        Thread.sleep(10);
                    }
                    long[] lat = new long[changes];
                    for (int i = 1; i <= warmup + changes; i++) {
                        insert.setLong(1, i);
                        insert.setString(2, BenchRows.sku(i));
                        insert.setString(3, BenchRows.name(i, 1));
                        insert.setInt(4, BenchRows.qty(i));
                        insert.setString(5, BenchRows.price(i));
                        long t0 = System.nanoTime();
                        insert.executeUpdate();
                        find.setLong(1, i);
                        while (!present(find)) {
                            if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(30)) {
                                throw new IllegalStateException("change " + i + " did not reach device B within 30 s");
                            }
                            LockSupport.parkNanos(100_000);
                        }
                        if (i > warmup) {
                            lat[i - warmup - 1] = System.nanoTime() - t0;
                        }
                    }
                    Arrays.sort(lat);
                    report.fact("p50Ms", pct(lat, 50))
                            .fact("p99Ms", pct(lat, 99))
                            .fact("maxMs", lat[lat.length - 1] / 1e6)
                            .fact("baselineHealthP50Ms", pct(floor, 50))
                            .fact("baselineHealthP99Ms", pct(floor, 99))
                            .fact("p50VsHealthRoundTrip", pct(lat, 50) / pct(floor, 50))
                            .fact("target", "p99 <= 50 ms: " + (pct(lat, 99) <= 50 ? "met" : "missed"));
                    double seconds = Arrays.stream(lat).sum() / 1e9;
                    report.measure("changes A -> hub -> B, one at a time", changes, seconds);
                }
            }
        } finally {
            BenchFiles.deleteTree(dir);
        }
        report.print(spec.commandLine().getOut(), json);
        return 0;
    }

    private static boolean present(PreparedStatement find) throws Exception {
        try (ResultSet rs = find.executeQuery()) {
            return rs.next();
        }
    }

    private static double pct(long[] sorted, int p) {
        int idx = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))] / 1e6;
    }

    private static long[] healthRoundTrips(URI hub, int n) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest req = HttpRequest.newBuilder(hub.resolve("/health")).GET().build();
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            client.send(req, HttpResponse.BodyHandlers.discarding());
            out[i] = System.nanoTime() - t0;
        }
        Arrays.sort(out);
        return out;
    }
}
