package io.shuttlebridge.bench.load;

import io.shuttlebridge.bench.BenchFiles;
import io.shuttlebridge.bench.Report;
import io.shuttlebridge.bench.hub.BenchHub;
import io.shuttlebridge.bench.hub.BenchPostgres;
import io.shuttlebridge.bench.hub.BenchRows;
import io.shuttlebridge.core.sync.SyncEngine;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
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
            description = "Changes asked for per pull; one page per round (default ${DEFAULT-VALUE}).")
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
                .fact(
                        "loadAverageAtStart",
                        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        try (BenchPostgres pg = hubUrl == null ? BenchPostgres.start("load") : null;
                LoadHub hub = startHub(pg, dir)) {
            report.fact("hub", hub.description())
                    .fact("auth", hubUrl == null ? BenchHub.AUTH : token == null ? "none" : "bearer token (--token)")
                    .fact("memory", hub.memoryAttribution());
            new Run(hub, report).run();
        } finally {
            BenchFiles.deleteTree(dir);
        }
        report.print(spec.commandLine().getOut(), json);
        return 0;
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
        if (pullLimit < 1) {
            wrong.add("--pull-limit must be positive, got " + pullLimit);
        }
        if (warmup < 0) {
            wrong.add("--warmup must not be negative, got " + warmup);
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
        return hubProcess ? new ChildHub(pg, maxBatch, hubHeap, dir) : new InProcessHub(pg, maxBatch);
    }

    /** One run against a started hub. */
    private final class Run {
        private final LoadHub hub;
        private final Report report;
        private final Errors errors = new Errors();
        private final AtomicLong ids = new AtomicLong(1);
        private final AtomicLong hubSeq = new AtomicLong();
        private final Map<String, String> targets = new LinkedHashMap<>();

        Run(LoadHub hub, Report report) {
            this.hub = hub;
            this.report = report;
        }

        void run() throws Exception {
            try (HubWire wire = new HubWire(hub.url(), hub.token())) {
                List<VirtualDevice> fleet = lease(wire);
                MemorySample bare = hub.memory(true);
                StreamFleet live = new StreamFleet(streams, errors);
                try (StreamClient client = streamClient.equals("jdk")
                        ? new JdkStreamClient()
                        : new NioStreamClient(Runtime.getRuntime().availableProcessors())) {
                    report.fact("streamClient", client.description());
                    int open = client.open(hub.url(), hub.token(), live);
                    MemorySample withStreams = hub.memory(true);
                    report.fact("streamsOpen", open).fact("streamsOpenOnHub", openOnHub(wire));
                    LoadPhase.Setup setup = new LoadPhase.Setup(wire, batch, pullLimit, ids, errors, hubSeq);
                    if (warmup > 0) {
                        LoadPhase.run(fleet, Duration.ofSeconds(warmup), setup);
                    }
                    LoadPhase.Result one = LoadPhase.run(fleet.subList(0, 1), Duration.ofSeconds(seconds), setup);
                    MemoryPeak peak = MemoryPeak.start(hub);
                    long selfCpu = ProcessCpu.self();
                    long hubCpu = hub.cpuNanos();
                    LoadPhase.Result all = LoadPhase.run(fleet, Duration.ofSeconds(seconds), setup);
                    cores("cpuCoresThisJvm", selfCpu, ProcessCpu.self(), all.seconds());
                    cores("cpuCoresHubProcess", hubCpu, hub.cpuNanos(), all.seconds());
                    MemorySample top = peak.stop();
                    phases(one, all);
                    if (streams > 0) {
                        fanOut(wire, fleet.getFirst(), live);
                    }
                    memory(bare, withStreams, top, open);
                    report.fact("streamsOpenAtEnd", live.openCount());
                }
            }
            targets.put("zero errors", verdict(errors.total() == 0));
            report.fact("targets", targets).fact("errorCount", errors.total()).fact("errors", errors.byKind());
            if (errors.total() > 0) {
                report.fact("errorExamples", errors.examples());
            }
        }

        /** N devices, each with a short id leased, 32 leases at a time. */
        private List<VirtualDevice> lease(HubWire wire) throws InterruptedException {
            List<VirtualDevice> fleet = new ArrayList<>(devices);
            Semaphore inFlight = new Semaphore(32);
            List<Thread> leasing = new ArrayList<>(devices);
            for (int i = 0; i < devices; i++) {
                VirtualDevice d = new VirtualDevice();
                fleet.add(d);
                inFlight.acquire();
                leasing.add(Thread.ofVirtual().start(() -> {
                    try {
                        d.lease(wire);
                    } catch (HubWire.CallFailed e) {
                        errors.add(e.kind, e.getMessage());
                    } finally {
                        inFlight.release();
                    }
                }));
            }
            for (Thread t : leasing) {
                t.join();
            }
            return fleet;
        }

        private long openOnHub(HubWire wire) {
            try {
                return wire.openStreamsOnHub();
            } catch (HubWire.CallFailed e) {
                errors.add(e.kind, e.getMessage());
                return -1;
            }
        }

        private void phases(LoadPhase.Result one, LoadPhase.Result all) {
            report.measure("one device alone", one.rows(), one.seconds())
                    .measure(all.devices() + " devices together", all.rows(), all.seconds())
                    .fact("rowsPerSecond", all.rowsPerSecond())
                    .fact("oneDeviceRowsPerSecond", one.rowsPerSecond())
                    .fact("scaling", all.rowsPerSecond() / one.rowsPerSecond())
                    .fact("pushes", all.pushes())
                    .fact("pulledRowsPerSecond", all.pulled() / all.seconds());
            latency("push", all.push());
            latency("pull", all.pull());
            latency("oneDevicePush", one.push());
            latency("oneDevicePull", one.pull());
            double scaling = all.rowsPerSecond() / one.rowsPerSecond();
            if (devices >= 50) {
                targets.put("aggregate >= 6x one device", verdict(scaling >= 6));
                targets.put("push p99 <= 250 ms", verdict(all.push().p99() <= 250));
            }
            if (devices >= 1000 && streams >= 10_000) {
                targets.put(
                        "push p99 < 1 s with 10,000 streams", verdict(all.push().p99() < 1000));
            }
        }

        /**
         * Single pushes with nothing else running, each timed from just before it is sent until every
         * stream has heard of the position it reached (the push's own answer may come before or after).
         */
        private void fanOut(HubWire wire, VirtualDevice prober, StreamFleet live) throws Exception {
            long position = wire.feedPosition(prober.node());
            int behind = live.awaitAll(position, Duration.ofSeconds(60));
            if (behind > 0) {
                errors.add(
                        "stream behind the feed after the load",
                        behind + " open streams had not been told of position " + position + " 60 s after the load",
                        behind);
            }
            Samples fan = new Samples();
            Samples push = new Samples();
            for (int p = 0; p < probes; p++) {
                live.arm(position + 1);
                long sent = System.nanoTime();
                try {
                    HubWire.Pushed answer = prober.pushRows(wire, ids, 1, push);
                    position = Math.max(position + 1, answer.hubSeq());
                } catch (HubWire.CallFailed e) {
                    errors.add(e.kind, e.getMessage());
                    position = wire.feedPosition(prober.node());
                    continue;
                }
                int missed = live.collect(sent, Duration.ofSeconds(30), fan);
                if (missed > 0) {
                    errors.add(
                            "stream not told of a push",
                            missed + " open streams had not heard of position " + position + " 30 s after its push",
                            missed);
                }
                Thread.sleep(50);
            }
            Samples.Percentiles f = Samples.merge(List.of(fan));
            Samples.Percentiles pp = Samples.merge(List.of(push));
            report.fact(
                            "fanoutMeasured",
                            "from just before each probe push is sent until each stream hears of the position it"
                                    + " reached, one push at a time with no other load")
                    .fact("fanoutNotifications", f.count());
            latency("fanout", f);
            latency("probePush", pp);
            if (streams >= 10_000) {
                targets.put("fan-out p99 <= 250 ms to 10,000 streams", verdict(f.p99() <= 250));
                targets.put("probe push answered in < 50 ms", verdict(pp.max() < 50));
            }
        }

        private void memory(MemorySample bare, MemorySample withStreams, MemorySample peak, int open) {
            mb("hubHeapMb", bare.heapUsed());
            mb("hubRssMb", bare.rss());
            mb("hubHeapWithStreamsMb", withStreams.heapUsed());
            mb("hubRssWithStreamsMb", withStreams.rss());
            if (open > 0) {
                kb("heapPerStreamKb", bare.heapUsed(), withStreams.heapUsed(), open);
                kb("rssPerStreamKb", bare.rss(), withStreams.rss(), open);
            }
            mb("hubHeapPeakMb", peak.heapUsed());
            mb("hubRssPeakMb", peak.rss());
        }

        /** Cores a process kept busy on average over a phase (from its processor time), when both readings are known. */
        private void cores(String key, long before, long after, double seconds) {
            if (before >= 0 && after >= 0) {
                report.fact(key, (after - before) / 1e9 / seconds);
            }
        }

        private void mb(String key, long bytes) {
            if (bytes >= 0) {
                report.fact(key, bytes / (1024.0 * 1024));
            }
        }

        private void kb(String key, long before, long after, int streams) {
            if (before >= 0 && after >= 0) {
                report.fact(key, (after - before) / 1024.0 / streams);
            }
        }

        private void latency(String prefix, Samples.Percentiles p) {
            if (p.count() > 0) {
                report.fact(prefix + "P50Ms", p.p50())
                        .fact(prefix + "P99Ms", p.p99())
                        .fact(prefix + "MaxMs", p.max());
            }
        }

        private String verdict(boolean met) {
            return met ? "met" : "missed";
        }
    }
}
