package io.shuttlebridge.bench.apply;

import io.shuttlebridge.bench.BenchFiles;
import io.shuttlebridge.bench.Report;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.capture.CaptureOptions;
import io.shuttlebridge.core.feed.Feed;
import io.shuttlebridge.core.sync.InProcessTransport;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.core.sync.SyncReport;
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
@Command(name = "apply", mixinStandardHelpOptions = true,
        description = "Rows/s of applying one device's changes to another replica, against a plain batched insert.")
public final class ApplyBench implements Callable<Integer> {
    private static final String TABLE = "CREATE TABLE item (id INTEGER PRIMARY KEY, sku TEXT NOT NULL, name TEXT,"
            + " qty INTEGER NOT NULL, price REAL)";

    @Option(names = "--rows", defaultValue = "1000000", description = "Changed rows to apply (default ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--page", defaultValue = "5000", description = "Changes per pushed page (default ${DEFAULT-VALUE}).")
    int page;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (rows <= 0 || page <= 0) {
            throw new IllegalArgumentException("--rows and --page must be positive");
        }
        Path dir = Files.createTempDirectory("shuttle-bench-apply");
        try {
            double baseline = baseline(dir.resolve("plain.db"));
            Path device = dir.resolve("device.db");
            Path replica = dir.resolve("replica.db");
            for (Path f : new Path[] {device, replica}) {
                try (Connection c = BenchFiles.open(f); Statement s = c.createStatement()) {
                    s.execute(TABLE);
                }
                try (ShuttleDatabase db = ShuttleDatabase.sqlite(f)) {
                    Capture.enable(db, CaptureOptions.allTables(), ProgressListener.NONE);
                }
            }
            fill(device);
            double fold;
            try (ShuttleDatabase db = ShuttleDatabase.sqlite(device)) {
                long f0 = System.nanoTime();
                Feed.compact(db);
                fold = (System.nanoTime() - f0) / 1e9;
            }
            SyncReport report;
            double seconds;
            try (ShuttleDatabase a = ShuttleDatabase.sqlite(device); ShuttleDatabase b = ShuttleDatabase.sqlite(replica)) {
                SyncEngine source = SyncEngine.builder(a).pageSize(page).maxBatch(Math.max(page, SyncEngine.DEFAULT_MAX_BATCH)).build();
                SyncEngine target = SyncEngine.builder(b).pageSize(page).maxBatch(Math.max(page, SyncEngine.DEFAULT_MAX_BATCH)).build();
                long t0 = System.nanoTime();
                report = source.pullThenPush(new InProcessTransport(target), target.nodeUuid());
                seconds = (System.nanoTime() - t0) / 1e9;
            }
            long applied;
            try (Connection c = BenchFiles.open(replica); Statement s = c.createStatement(); var rs = s.executeQuery("SELECT count(*) FROM item")) {
                rs.next();
                applied = rs.getLong(1);
            }
            if (applied != rows || report.pushed() != rows) {
                throw new IllegalStateException("replica holds " + applied + " rows after pushing " + report.pushed() + ", expected " + rows);
            }
            new Report("apply")
                    .fact("rows", rows).fact("page", page)
                    .fact("ratioToBaseline", seconds / baseline)
                    .measure("plain batched insert (baseline)", rows, baseline)
                    .measure("sync apply, device -> replica", rows, seconds)
                    .measure("fold of the device's capture log", rows, fold)
                    .print(spec.commandLine().getOut(), json);
            return 0;
        } finally {
            BenchFiles.deleteTree(dir);
        }
    }

    private void fill(Path file) throws SQLException {
        try (Connection c = BenchFiles.open(file)) {
            c.setAutoCommit(false);
            insertRows(c);
        }
    }

    private double baseline(Path file) throws SQLException {
        try (Connection c = BenchFiles.open(file)) {
            try (Statement s = c.createStatement()) {
                s.execute(TABLE);
            }
            c.setAutoCommit(false);
            long t0 = System.nanoTime();
            insertRows(c);
            return (System.nanoTime() - t0) / 1e9;
        }
    }

    private void insertRows(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO item (id, sku, name, qty, price) VALUES (?, ?, ?, ?, ?)")) {
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
