package io.shuttlebridge.bench.capture;

import io.shuttlebridge.bench.BenchFiles;
import io.shuttlebridge.bench.Report;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.capture.CaptureOptions;
import io.shuttlebridge.core.internal.feed.Feed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Cost of change capture: the same batched inserts, then updates, into the same table with and
 * without sync enabled, in one JVM, on SQLite files with the same settings (WAL, synchronous=NORMAL).
 * Each variant runs {@code --rounds} times on fresh files, alternating, and the median is reported.
 * Triggers only append to the capture log; folding the log into the feed happens when the engine
 * next reads or applies, off the application's write path, and is reported on its own line.
 *
 * <p>Run: {@code ./shuttle bench capture --rows 200000}
 */
@Command(
        name = "capture",
        mixinStandardHelpOptions = true,
        description = "Insert and update rates with and without sync enabled, and their ratio.")
public final class CaptureBench implements Callable<Integer> {
    private static final String TABLE = "CREATE TABLE item (id INTEGER PRIMARY KEY, sku TEXT NOT NULL, name TEXT,"
            + " qty INTEGER NOT NULL, price REAL, updated_at TEXT)";

    @Option(
            names = "--rows",
            defaultValue = "200000",
            description = "Rows to insert and then update (default ${DEFAULT-VALUE}).")
    long rows;

    @Option(
            names = "--batch",
            defaultValue = "1000",
            description = "Rows per JDBC batch and transaction (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(
            names = "--rounds",
            defaultValue = "3",
            description = "Alternating rounds per variant; the median is reported (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (rows <= 0 || batch <= 0 || rounds <= 0) {
            throw new IllegalArgumentException("--rows, --batch and --rounds must be positive");
        }
        Path dir = Files.createTempDirectory("shuttle-bench-capture");
        try {
            // warm-up of both paths so the JIT has compiled the JDBC and driver code
            run(dir, "warm-plain", false, Math.min(rows, 20_000));
            run(dir, "warm-sync", true, Math.min(rows, 20_000));
            List<double[]> plain = new ArrayList<>();
            List<double[]> sync = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                plain.add(run(dir, "plain-" + r, false, rows));
                sync.add(run(dir, "sync-" + r, true, rows));
            }
            double plainInsert = median(plain, 0);
            double plainUpdate = median(plain, 1);
            double syncInsert = median(sync, 0);
            double syncUpdate = median(sync, 1);
            Report report = new Report("capture")
                    .fact("rows", rows)
                    .fact("batch", batch)
                    .fact("rounds", rounds)
                    .fact("insertRatio", syncInsert / plainInsert)
                    .fact("updateRatio", syncUpdate / plainUpdate)
                    .measure("insert, plain table (baseline)", rows, plainInsert)
                    .measure("insert, sync enabled", rows, syncInsert)
                    .measure("update, plain table (baseline)", rows, plainUpdate)
                    .measure("update, sync enabled", rows, syncUpdate)
                    .measure("fold 2 writes/row into the feed", rows, median(sync, 2));
            report.print(spec.commandLine().getOut(), json);
            return 0;
        } finally {
            BenchFiles.deleteTree(dir);
        }
    }

    /** Returns {insert seconds, update seconds}. */
    private double[] run(Path dir, String name, boolean withSync, long n) throws SQLException {
        Path file = dir.resolve(name + ".db");
        try (Connection c = BenchFiles.open(file)) {
            try (Statement s = c.createStatement()) {
                s.execute(TABLE);
            }
        }
        if (withSync) {
            try (ShuttleDatabase db = ShuttleDatabase.sqlite(file)) {
                Capture.enable(
                        db,
                        CaptureOptions.builder()
                                .excludeColumn("item.updated_at")
                                .build(),
                        ProgressListener.NONE);
            }
        }
        try (Connection c = BenchFiles.open(file)) {
            c.setAutoCommit(false);
            long t0 = System.nanoTime();
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO item (id, sku, name, qty, price, updated_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                for (long i = 1; i <= n; i++) {
                    ps.setLong(1, i);
                    ps.setString(2, "SKU-" + i);
                    ps.setString(3, "item number " + i);
                    ps.setLong(4, i % 100);
                    ps.setDouble(5, (i % 1000) / 10.0);
                    ps.setString(6, "2026-11-23T10:00:00Z");
                    ps.addBatch();
                    if (i % batch == 0 || i == n) {
                        ps.executeBatch();
                        c.commit();
                    }
                }
            }
            long t1 = System.nanoTime();
            try (PreparedStatement ps =
                    c.prepareStatement("UPDATE item SET qty = qty + 1, updated_at = ? WHERE id = ?")) {
                for (long i = 1; i <= n; i++) {
                    ps.setString(1, "2026-11-23T11:00:00Z");
                    ps.setLong(2, i);
                    ps.addBatch();
                    if (i % batch == 0 || i == n) {
                        ps.executeBatch();
                        c.commit();
                    }
                }
            }
            long t2 = System.nanoTime();
            double fold = 0;
            if (withSync) {
                try (ShuttleDatabase db = ShuttleDatabase.sqlite(file)) {
                    long f0 = System.nanoTime();
                    Feed.compact(db);
                    fold = (System.nanoTime() - f0) / 1e9;
                }
            }
            return new double[] {(t1 - t0) / 1e9, (t2 - t1) / 1e9, fold};
        }
    }

    private static double median(List<double[]> runs, int index) {
        double[] v = runs.stream().mapToDouble(r -> r[index]).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
