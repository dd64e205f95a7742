package io.shuttlebridge.bench.apply;

import com.sun.management.OperatingSystemMXBean;
import io.shuttlebridge.bench.BenchFiles;
import io.shuttlebridge.bench.Report;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.capture.CaptureOptions;
import io.shuttlebridge.core.internal.feed.Feed;
import io.shuttlebridge.core.sync.InProcessTransport;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.core.sync.SyncReport;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Apply throughput: one device's N changed rows pushed to a second SQLite replica through the
 * in-process transport (read from the device's feed, validated, applied under LWW with feed
 * entries written, cursors advanced), against a same-run baseline: a plain batched insert of the
 * same rows into a fresh SQLite table.
 *
 * <p>Run: {@code ./shuttle bench apply --rows 1000000}
 */
@Command(
        name = "apply",
        mixinStandardHelpOptions = true,
        description = "Rows/s of applying one device's changes to another replica, against a plain batched insert.")
public final class ApplyBench implements Callable<Integer> {
    private static final String TABLE = "CREATE TABLE item (id INTEGER PRIMARY KEY, sku TEXT NOT NULL, name TEXT,"
            + " qty INTEGER NOT NULL, price REAL)";

    @Option(
            names = "--rows",
            defaultValue = "1000000",
            description = "Changed rows to apply (default ${DEFAULT-VALUE}).")
    int rows;

    @Option(
            names = "--page",
            defaultValue = "5000",
            description = "Changes per pushed page (default ${DEFAULT-VALUE}).")
    int page;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--warmup",
            defaultValue = "200000",
            description =
                    "Rows of an unmeasured first round on separate files, so the JIT has compiled the apply path (default ${DEFAULT-VALUE}; 0 for none).")
    int warmup;

    /** What one round measured. */
    private record Round(double seconds, double fold, double cpu, double applyingCpu) {}

    @Override
    public Integer call() throws Exception {
        if (rows <= 0 || page <= 0 || warmup < 0) {
            throw new IllegalArgumentException("--rows and --page must be positive, --warmup not negative");
        }
        Path dir = Files.createTempDirectory("shuttle-bench-apply");
        try {
            if (warmup > 0) {
                round(dir.resolve("warmup"), warmup);
            }
            double baseline = baseline(dir.resolve("plain.db"));
            Round r = round(dir.resolve("measured"), rows);
            new Report("apply")
                    .fact("rows", rows)
                    .fact("page", page)
                    .fact("warmupRows", warmup)
                    .fact("ratioToBaseline", r.seconds() / baseline)
                    .fact("cpuSecondsOfSync", r.cpu())
                    .fact("cpuSecondsOfApplyingThread", r.applyingCpu())
                    .measure("plain batched insert (baseline)", rows, baseline)
                    .measure("sync apply, device -> replica", rows, r.seconds())
                    .measure("fold of the device's capture log", rows, r.fold())
                    .print(spec.commandLine().getOut(), json);
            return 0;
        } finally {
            BenchFiles.deleteTree(dir);
        }
    }

    /** A device with {@code n} changed rows pushes them to a fresh replica; the sync is timed. */
    private Round round(Path dir, int n) throws Exception {
        Files.createDirectories(dir);
        Path device = dir.resolve("device.db");
        Path replica = dir.resolve("replica.db");
        for (Path f : new Path[] {device, replica}) {
            try (Connection c = BenchFiles.open(f);
                    Statement s = c.createStatement()) {
                s.execute(TABLE);
            }
            try (ShuttleDatabase db = ShuttleDatabase.sqlite(f)) {
                Capture.enable(db, CaptureOptions.allTables(), ProgressListener.NONE);
            }
        }
        try (Connection c = BenchFiles.open(device)) {
            c.setAutoCommit(false);
            insertRows(c, n);
        }
        double fold;
        try (ShuttleDatabase db = ShuttleDatabase.sqlite(device)) {
            long f0 = System.nanoTime();
            Feed.compact(db);
            fold = (System.nanoTime() - f0) / 1e9;
        }
        SyncReport report;
        double seconds;
        double cpu;
        double applyingCpu;
        var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var threads = ManagementFactory.getThreadMXBean();
        try (ShuttleDatabase a = ShuttleDatabase.sqlite(device);
                ShuttleDatabase b = ShuttleDatabase.sqlite(replica)) {
            SyncEngine source = SyncEngine.builder(a)
                    .pageSize(page)
                    .maxBatch(Math.max(page, SyncEngine.DEFAULT_MAX_BATCH))
                    .build();
            SyncEngine target = SyncEngine.builder(b)
                    .pageSize(page)
                    .maxBatch(Math.max(page, SyncEngine.DEFAULT_MAX_BATCH))
                    .build();
            long cpu0 = os.getProcessCpuTime();
            long own0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            report = source.pullThenPush(new InProcessTransport(target));
            seconds = (System.nanoTime() - t0) / 1e9;
            cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
            applyingCpu = (threads.getCurrentThreadCpuTime() - own0) / 1e9;
        }
        long applied;
        try (Connection c = BenchFiles.open(replica);
                Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT count(*) FROM item")) {
            rs.next();
            applied = rs.getLong(1);
        }
        if (applied != n || report.pushed() != n) {
            throw new IllegalStateException(
                    "replica holds " + applied + " rows after pushing " + report.pushed() + ", expected " + n);
        }
        return new Round(seconds, fold, cpu, applyingCpu);
    }

    private double baseline(Path file) throws SQLException {
        try (Connection c = BenchFiles.open(file)) {
            try (Statement s = c.createStatement()) {
                s.execute(TABLE);
            }
            c.setAutoCommit(false);
            long t0 = System.nanoTime();
            insertRows(c, rows);
            return (System.nanoTime() - t0) / 1e9;
        }
    }

    private void insertRows(Connection c, int rows) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("INSERT INTO item (id, sku, name, qty, price) VALUES (?, ?, ?, ?, ?)")) {
            for (int i = 1; i <= rows; i++) {
                ps.setLong(1, i);
                ps.setString(2, "SKU-" + i);
                ps.setString(3, "item number " + i);
                ps.setLong(4, i % 100);
                ps.setDouble(5, (i % 1000) / 10.0);
                ps.addBatch();
                if (i % page == 0 || i == rows) {
                    ps.executeBatch();
                    c.commit();
                }
            }
        }
    }
}
