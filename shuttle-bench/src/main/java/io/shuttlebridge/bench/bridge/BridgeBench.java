package io.shuttlebridge.bench.bridge;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.management.OperatingSystemMXBean;
import io.shuttlebridge.bridge.BatchOutcome;
import io.shuttlebridge.bridge.BatchReport;
import io.shuttlebridge.bridge.BridgeService;
import io.shuttlebridge.bridge.definition.PipelineDefinition;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * End-to-end Bridge benchmark: {@code rows} generated CSV records (written before timing starts)
 * through all nine stages into a SQLite target whose table has a foreign key to a category table,
 * then an incremental re-run after about 1% of the rows changed (updates, deletes, inserts; the
 * source has no row version, so every record is read, hashed and compared, and deletes are
 * reconciled). Baseline in the same run: the same CSV read with the same parser and inserted with
 * one batched prepared statement in one transaction, nothing else.
 *
 * <p>Run: {@code ./shuttle bench bridge --rows 1000000 [--json]}, or
 * {@code java -Xmx512m -cp ... io.shuttlebridge.bench.bridge.BridgeBench --rows 1000000}.
 */
@Command(
        name = "bridge",
        mixinStandardHelpOptions = true,
        description =
                "Bridge end to end: CSV source through nine stages into SQLite, initial and 1%% incremental, with a raw-insert baseline.")
public final class BridgeBench implements Callable<Integer> {
    static final String DEFINITION = """
            entities:
              - name: items
                table: item
                source: {type: csv, path: items.csv}
                fields:
                  id: integer
                  sku: string
                  name: string
                  category: integer
                  price: {type: decimal, scale: 2}
                  qty: integer
                  updated: date
                  status: string
                rules:
                  - {field: id, required: true}
                  - {field: price, min: 0}
                  - {field: status, enum: [A, I]}
                mappings:
                  - {target: id, source: id}
                  - {target: sku, source: sku}
                  - {target: name, source: name}
                  - {target: category_id, source: category}
                  - {target: price, source: price}
                  - {target: qty, source: qty}
                  - {target: updated, source: updated}
                  - {target: status, source: status, lookup: {A: active, I: inactive}}
                keys: [id]
                batch_size: %d
            """;

    @Option(names = "--rows", description = "source records (default ${DEFAULT-VALUE})", defaultValue = "1000000")
    long rows;

    @Option(
            names = "--batch-size",
            description = "records per committed chunk (default ${DEFAULT-VALUE})",
            defaultValue = "20000")
    int batchSize;

    @Option(names = "--shuffled", description = "source records in random key order (the identity store's worst case)")
    boolean shuffled;

    @Option(names = "--json", description = "print the result as JSON")
    boolean json;

    @Option(names = "--dir", description = "work directory (default: a temporary one, deleted afterwards)")
    Path dir;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new BridgeBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (rows < 1000) {
            throw new IllegalArgumentException("--rows must be at least 1000");
        }
        boolean temporary = dir == null;
        Path work = temporary ? Files.createTempDirectory("shuttle-bench-bridge") : Files.createDirectories(dir);
        try {
            Map<String, Object> result = measure(work);
            PrintWriter out = spec == null
                    ? new PrintWriter(System.out, true)
                    : spec.commandLine().getOut();
            if (json) {
                out.println(new ObjectMapper()
                        .enable(SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsString(result));
            } else {
                print(out, result);
            }
            out.flush();
            return 0;
        } finally {
            if (temporary) {
                try (Stream<Path> files = Files.walk(work)) {
                    files.sorted(Comparator.reverseOrder())
                            .forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    private Map<String, Object> measure(Path work) throws Exception {
        Path csv = work.resolve("items.csv");
        BenchData.write(csv, rows, false, shuffled, 42);
        double baseline = Baseline.run(csv, work.resolve("baseline.db"));

        Path target = work.resolve("target.db");
        createTarget(target);
        PipelineDefinition definition = PipelineDefinition.parse(DEFINITION.formatted(batchSize), Map.of(), work);
        BatchReport initial;
        BatchReport incremental;
        long initialNanos;
        long incrementalNanos;
        long initialCpu;
        long incrementalCpu;
        try (BridgeService bridge = BridgeService.builder()
                .target(target.toString())
                .definition(definition)
                .build()) {
            long cpu = cpuNanos();
            long t = System.nanoTime();
            initial = bridge.run("items");
            initialNanos = System.nanoTime() - t;
            initialCpu = cpuNanos() - cpu;
            check(initial);
            BenchData.write(csv, rows, true, shuffled, 42);
            cpu = cpuNanos();
            t = System.nanoTime();
            incremental = bridge.run("items");
            incrementalNanos = System.nanoTime() - t;
            incrementalCpu = cpuNanos() - cpu;
            check(incremental);
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("benchmark", "bridge");
        r.put("rows", rows);
        r.put(
                "source",
                "CSV file generated before timing (" + Files.size(csv) / (1024 * 1024) + " MiB after the change), "
                        + (shuffled ? "records in random key order" : "records in key order"));
        r.put("target", "SQLite file in WAL mode (default synchronous), item table with a foreign key to category");
        r.put("batchSize", batchSize);
        r.put("maxHeapMiB", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        r.put("availableProcessors", Runtime.getRuntime().availableProcessors());
        r.put("baselineSeconds", round(baseline));
        r.put("baselineRowsPerSecond", Math.round(rows / baseline));
        r.put("initialSeconds", round(initialNanos / 1e9));
        r.put("initialRowsPerSecond", Math.round(rows / (initialNanos / 1e9)));
        r.put("initialVsBaseline", round((initialNanos / 1e9) / baseline));
        r.put("initialCpuSeconds", round(initialCpu / 1e9));
        r.put("initialCounts", initial.counts());
        r.put("initialStageMillis", initial.stageMillis());
        r.put("incrementalSeconds", round(incrementalNanos / 1e9));
        r.put("incrementalRowsPerSecond", Math.round(incremental.counts().fetched() / (incrementalNanos / 1e9)));
        r.put("incrementalCpuSeconds", round(incrementalCpu / 1e9));
        r.put("incrementalCounts", incremental.counts());
        r.put("incrementalStageMillis", incremental.stageMillis());
        r.put("targetInitialSeconds", 10);
        r.put("targetIncrementalSeconds", 5);
        return r;
    }

    private static void check(BatchReport report) {
        if (report.outcome() != BatchOutcome.SUCCEEDED) {
            throw new ShuttleException(ErrorCode.INTERNAL, "benchmark batch failed: " + report.error());
        }
    }

    /** CPU time of the whole process (all threads, including the garbage collector). */
    private static long cpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static void createTarget(Path db) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode = WAL");
            s.execute("CREATE TABLE category (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
            for (int i = 1; i <= BenchData.CATEGORIES; i++) {
                s.execute("INSERT INTO category VALUES (" + i + ", 'Category " + i + "')");
            }
            s.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, sku TEXT NOT NULL, name TEXT, category_id INTEGER"
                    + " REFERENCES category(id), price NUMERIC, qty INTEGER, updated TEXT, status TEXT)");
        }
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    @SuppressWarnings("unchecked")
    private static void print(PrintWriter out, Map<String, Object> r) {
        out.printf("Bridge benchmark: %,d rows, %s%n", r.get("rows"), r.get("source"));
        out.printf(
                "  target: %s; heap %s MiB, %s cpus, chunk %s%n",
                r.get("target"), r.get("maxHeapMiB"), r.get("availableProcessors"), r.get("batchSize"));
        out.printf("  %-34s %10s %14s %9s%n", "run", "seconds", "rows/s", "cpu s");
        out.printf(
                "  %-34s %10.3f %,14d%n",
                "baseline (raw batched insert)", r.get("baselineSeconds"), r.get("baselineRowsPerSecond"));
        out.printf(
                "  %-34s %10.3f %,14d %9.2f   (x%.2f baseline, target <= 10 s)%n",
                "initial load, 9 stages",
                r.get("initialSeconds"),
                r.get("initialRowsPerSecond"),
                r.get("initialCpuSeconds"),
                r.get("initialVsBaseline"));
        out.printf(
                "  %-34s %10.3f %,14d %9.2f   (target <= 5 s)%n",
                "incremental, 1% changed",
                r.get("incrementalSeconds"),
                r.get("incrementalRowsPerSecond"),
                r.get("incrementalCpuSeconds"));
        out.println("  initial counts:     " + r.get("initialCounts"));
        out.println("  initial stage ms:   " + r.get("initialStageMillis"));
        out.println("  incremental counts: " + r.get("incrementalCounts"));
        out.println("  incremental stage ms: " + r.get("incrementalStageMillis"));
    }
}
