package io.shuttlebridge.bench.hub;

import io.shuttlebridge.bench.BenchFiles;
import io.shuttlebridge.bench.Report;
import io.shuttlebridge.client.DeviceClone;
import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.core.sync.SyncReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Upload throughput: a SQLite device cloned from a PostgreSQL (or, with {@code --hub mariadb}, MariaDB) hub writes
 * N rows locally (captured
 * by its triggers), then pushes them to the hub over HTTP on loopback; the hub applies each page
 * atomically and idempotently. Same-run baselines: PostgreSQL {@code COPY} (MariaDB {@code LOAD DATA LOCAL
 * INFILE}) of the same rows, and a
 * plain batched SQLite insert.
 *
 * <p>Run: {@code ./shuttle bench upload --rows 100000}
 */
@Command(
        name = "upload",
        mixinStandardHelpOptions = true,
        description = "Rows/s of a device pushing changed rows to a PostgreSQL or MariaDB hub over HTTP, against the"
                + " database's bulk load (COPY, LOAD DATA).")
public final class UploadBench implements Callable<Integer> {
    @Option(names = "--rows", defaultValue = "100000", description = "Changed rows to push (default ${DEFAULT-VALUE}).")
    long rows;

    @Option(
            names = "--page",
            defaultValue = "" + SyncEngine.DEFAULT_PAGE,
            description = "Changes per pushed page (default ${DEFAULT-VALUE}, a device's default).")
    int page;

    @Option(
            names = "--warmup",
            defaultValue = "200000",
            description =
                    "Rows pushed first through the same device and hub, not measured, so the measured push runs on warm JVMs "
                            + "as a long-running hub does (default ${DEFAULT-VALUE}; 0 measures a cold start).")
    long warmup;

    @Option(
            names = "--hub",
            defaultValue = "postgres",
            description = "The hub's database: postgres (embedded, or SHUTTLE_BENCH_PG_URL) or mariadb"
                    + " (SHUTTLE_BENCH_MARIADB_URL), its bulk load the baseline (default ${DEFAULT-VALUE}).")
    BenchHubDb.Kind hub;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (rows <= 0 || page <= 0 || warmup < 0) {
            throw new IllegalArgumentException("--rows and --page must be positive, --warmup not negative");
        }
        Path dir = Files.createTempDirectory("shuttle-bench-upload");
        Report report =
                new Report("upload").fact("rows", rows).fact("page", page).fact("warmupRows", warmup);
        try (BenchHubDb pg = BenchHubDb.start(hub, "upload")) {
            report.fact("hub", "HubServer over " + pg.where() + ", HTTP on loopback")
                    .fact("auth", BenchHub.AUTH);
            pg.createItemTable("item");
            double copy;
            try (Connection c = pg.connect()) {
                copy = pg.bulkLoad(c, "item", 1, rows, 1);
            }
            pg.exec("TRUNCATE item");
            double sqlite = BenchRows.sqliteBaseline(dir.resolve("plain.db"), rows);
            try (BenchHub hub = BenchHub.start(pg, Math.max(page, SyncEngine.DEFAULT_MAX_BATCH))) {
                Path device = dir.resolve("device.db");
                HttpTransport http = hub.transport();
                try (ShuttleDatabase db = ShuttleDatabase.sqlite(device)) {
                    DeviceClone.run(db, http, ProgressListener.NONE);
                    SyncEngine engine = SyncEngine.builder(db)
                            .pageSize(page)
                            .maxBatch(Math.max(page, SyncEngine.DEFAULT_MAX_BATCH))
                            .build();
                    if (warmup > 0) {
                        check(pg, push(db, engine, http, 1, warmup), warmup, warmup);
                    }
                    Pushed measured = push(db, engine, http, warmup + 1, rows);
                    check(pg, measured, rows, warmup + rows);
                    double push = measured.seconds();
                    report.measure(pg.bulkName() + " (baseline)", rows, copy)
                            .measure("SQLite batched insert (baseline)", rows, sqlite)
                            .measure("push over HTTP", rows, push)
                            .fact("pushVs" + pg.bulkKey(), copy / push)
                            .fact("pushVsSqliteInsert", sqlite / push)
                            .fact("target", "push >= 50,000 rows/s: " + (rows / push >= 50_000 ? "met" : "missed"));
                }
            }
        } finally {
            BenchFiles.deleteTree(dir);
        }
        report.print(spec.commandLine().getOut(), json);
        return 0;
    }

    /** What one push sent, and how long it took. */
    private record Pushed(long changes, double seconds) {}

    /** Writes rows {@code from..from+n-1} on the device, then times their push. */
    private static Pushed push(ShuttleDatabase db, SyncEngine engine, HttpTransport http, long from, long n)
            throws Exception {
        try (Connection c = db.newConnection()) {
            BenchRows.insertSqlite(c, "item", from, n, 1);
        }
        long t0 = System.nanoTime();
        SyncReport r = engine.pullThenPush(http);
        return new Pushed(r.pushed(), (System.nanoTime() - t0) / 1e9);
    }

    /** Fails unless the push sent {@code expected} changes and the hub now holds {@code onHubExpected} rows. */
    private static void check(BenchHubDb pg, Pushed pushed, long expected, long onHubExpected) throws Exception {
        long onHub = count(pg);
        if (pushed.changes() != expected || onHub != onHubExpected) {
            throw new IllegalStateException("pushed " + pushed.changes() + " changes and the hub holds " + onHub
                    + " rows, expected " + expected + " and " + onHubExpected);
        }
    }

    private static long count(BenchHubDb pg) throws Exception {
        try (Connection c = pg.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM item")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
