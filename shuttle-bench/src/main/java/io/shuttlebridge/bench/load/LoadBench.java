package io.shuttlebridge.bench.load;

import io.shuttlebridge.bench.BenchFiles;
import io.shuttlebridge.bench.Report;
import io.shuttlebridge.bench.hub.BenchHub;
import io.shuttlebridge.bench.hub.BenchPostgres;
import io.shuttlebridge.bench.hub.BenchRows;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.server.HubDatabases;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A hub under many devices at once: N virtual devices speaking the protocol over HTTP on loopback
 * (each leases a short id, then pulls a page and pushes a batch of new rows, round after round) and
 * M idle devices on the live stream (WebSocket), against a hub over PostgreSQL that the benchmark
 * starts, in this JVM or in one of its own ({@code --hub-process}), or one given by URL. It runs an
 * unmeasured warm-up with all devices, then one device alone, then all N together, then times the
 * fan-out of single pushes to every stream with no other load. Same-run baseline: the one device
 * alone, the same workload with the same streams open; the scaling ratio is all-devices rows/s over it.
 *
 * <p>Run: {@code ./shuttle bench load --devices 50 --streams 1000 --seconds 20}
 */
@Command(
        name = "load",
        mixinStandardHelpOptions = true,
        description = "Many virtual devices and idle streams against one hub: rows/s, push and pull latency,"
                + " fan-out to every stream, errors, hub memory; against one device alone in the same run.")
public final class LoadBench implements Callable<Integer> {
    /** Short ids a hub leases (0..1023), less room for devices other runs or tools leased. */
    static final int MAX_DEVICES = 1000;

    @Option(
            names = "--devices",
            defaultValue = "50",
            description = "Devices pushing and pulling (default ${DEFAULT-VALUE}).")
    int devices;

    @Option(
            names = "--streams",
            defaultValue = "1000",
            description = "Idle devices on the live stream (default ${DEFAULT-VALUE}).")
    int streams;

    @Option(
            names = "--seconds",
            defaultValue = "20",
            description =
                    "Length of each measured phase: one device alone, then all together (default ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--batch", defaultValue = "10", description = "New rows per push (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(
            names = "--pull-limit",
            defaultValue = "1000",
            description = "Changes asked for per pull, one page per round; 0 for devices that only push (default"
                    + " ${DEFAULT-VALUE}).")
    int pullLimit;

    @Option(
            names = "--warmup",
            defaultValue = "5",
            description =
                    "Seconds of all devices running first, not measured, so the hub runs warm (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(
            names = "--probes",
            defaultValue = "10",
            description =
                    "Single pushes whose fan-out to every stream is timed, with no other load (default ${DEFAULT-VALUE}).")
    int probes;

    @Option(
            names = "--stream-client",
            defaultValue = "nio",
            description = "How the idle streams connect: nio (plain non-blocking sockets, a few threads: cheap, so"
                    + " the hub is what is measured) or jdk (java.net.http WebSocket, as devices' LiveSync;"
                    + " several times the processor time and heap per stream) (default ${DEFAULT-VALUE}).")
    String streamClient;

    @Option(
            names = "--pool",
            defaultValue = "" + HubDatabases.DEFAULT_POOL,
            description = "Database connections of the hub the benchmark starts, as shuttle serve --pool; 1 for a"
                    + " single connection (default ${DEFAULT-VALUE}).")
    int pool;

    @Option(
            names = "--hub-process",
            description = "Run the hub in a JVM of its own (heap --hub-heap), so its memory is measured alone.")
    boolean hubProcess;

    @Option(
            names = "--hub-heap",
            defaultValue = "512m",
            description = "-Xmx of the hub JVM with --hub-process (default ${DEFAULT-VALUE}).")
    String hubHeap;

    @Option(
            names = "--hub",
            paramLabel = "URL",
            description =
                    "Load a running hub instead of starting one; it must sync table item (" + "id BIGINT PRIMARY KEY,"
                            + " sku TEXT NOT NULL, name TEXT, qty INTEGER NOT NULL, price NUMERIC(10,2)).")
    URI hubUrl;

    @Option(names = "--token", description = "Bearer token for --hub (a JWT whose subject may push and pull).")
    String token;

    @Option(
            names = "--hub-pid",
            defaultValue = "0",
            description = "Process id of the --hub on this machine, for its RSS.")
    long hubPid;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        validate();
        Path dir = Files.createTempDirectory("shuttle-bench-load");
        Report report = new Report("load")
                .fact("devices", devices)
                .fact("streams", streams)
                .fact("seconds", seconds)
                .fact("batch", batch)
                .fact("pullLimit", pullLimit)
                .fact("warmupSeconds", warmup)
                .fact("probes", streams > 0 ? probes : 0)
                .fact("pool", hubUrl == null ? pool + (pool == 1 ? " connection" : " connections") : "not known")
                .fact(
                        "loadAverageAtStart",
                        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        long errors = -1;
        try (BenchPostgres pg = hubUrl == null ? BenchPostgres.start("load") : null;
                LoadHub hub = startHub(pg, dir)) {
            report.fact("hub", hub.description())
                    .fact("auth", hubUrl == null ? BenchHub.AUTH : token == null ? "none" : "bearer token (--token)")
                    .fact("memory", hub.memoryAttribution());
            LoadSettings settings = new LoadSettings(
                    devices, streams, seconds, batch, pullLimit, warmup, probes, streamClient.equals("jdk"));
            errors = new LoadRun(settings, hub, report, spec.commandLine().getErr()).run();
            report.fact(
                    "loadAverageAtEnd",
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        } finally {
            keepHubLog(dir.resolve(ChildHub.LOG), errors, report);
            BenchFiles.deleteTree(dir);
        }
        report.print(spec.commandLine().getOut(), json);
        return 0;
    }

    /** A hub process's log is kept beside the results when something failed: it says why. */
    private static void keepHubLog(Path log, long errors, Report report) throws IOException {
        if (errors != 0 && Files.isRegularFile(log)) {
            Path kept = Report.resultsDir().resolve("load-hub.log");
            Files.createDirectories(kept.getParent());
            Files.copy(log, kept, StandardCopyOption.REPLACE_EXISTING);
            report.fact("hubLog", kept.toString());
        }
    }

    private void validate() {
        List<String> wrong = new ArrayList<>();
        if (devices < 1 || devices > MAX_DEVICES) {
            wrong.add("--devices must be between 1 and " + MAX_DEVICES
                    + " (each leases one of the hub's 1024 short ids), got " + devices);
        }
        if (streams < 0) {
            wrong.add("--streams must not be negative, got " + streams);
        }
        if (seconds < 1) {
            wrong.add("--seconds must be at least 1, got " + seconds);
        }
        if (batch < 1 || batch > SyncEngine.DEFAULT_MAX_BATCH) {
            wrong.add("--batch must be between 1 and " + SyncEngine.DEFAULT_MAX_BATCH + ", got " + batch);
        }
        if (pullLimit < 0) {
            wrong.add("--pull-limit must not be negative, got " + pullLimit);
        }
        if (warmup < 0) {
            wrong.add("--warmup must not be negative, got " + warmup);
        }
        if (pool < 1) {
            wrong.add("--pool must be at least 1, got " + pool);
        }
        if (probes < 1) {
            wrong.add("--probes must be at least 1, got " + probes);
        }
        if (!streamClient.equals("nio") && !streamClient.equals("jdk")) {
            wrong.add("--stream-client must be nio or jdk, got " + streamClient);
        }
        if (hubUrl != null && hubProcess) {
            wrong.add("--hub and --hub-process exclude each other: load a running hub, or start one in its own JVM");
        }
        if (hubUrl == null && (token != null || hubPid != 0)) {
            wrong.add("--token and --hub-pid go with --hub");
        }
        if (hubUrl != null && !"http".equals(hubUrl.getScheme())) {
            wrong.add("--hub must be an http:// URL, got " + hubUrl);
        }
        if (!wrong.isEmpty()) {
            throw new ParameterException(spec.commandLine(), String.join("; ", wrong));
        }
        long sockets = (long) streams + devices;
        long needed = (hubUrl == null && !hubProcess ? 2 * sockets : sockets) + 500;
        long max = maxOpenFiles();
        if (max > 0 && needed > max) {
            throw new ParameterException(
                    spec.commandLine(),
                    devices + " devices and " + streams + " streams need about " + needed
                            + " open files in this JVM, more than its limit of " + max
                            + (hubUrl == null && !hubProcess
                                    ? "; with --hub-process the hub's ends of the connections are in its own JVM"
                                    : "; raise it (ulimit -n)"));
        }
    }

    private static long maxOpenFiles() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean u
                ? u.getMaxFileDescriptorCount()
                : -1;
    }

    private LoadHub startHub(BenchPostgres pg, Path dir) throws Exception {
        if (hubUrl != null) {
            return new RemoteHub(hubUrl, token, hubPid);
        }
        pg.exec(String.format(BenchRows.PG_TABLE, VirtualDevice.TABLE));
        int maxBatch = Math.max(batch, Math.max(pullLimit, SyncEngine.DEFAULT_MAX_BATCH));
        return hubProcess ? new ChildHub(pg, maxBatch, pool, hubHeap, dir) : new InProcessHub(pg, maxBatch, pool);
    }
}
