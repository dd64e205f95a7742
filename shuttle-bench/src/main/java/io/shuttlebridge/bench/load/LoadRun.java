package io.shuttlebridge.bench.load;

import io.shuttlebridge.bench.Report;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One load run against a started hub: lease the devices, open the streams, warm up, run one device
 * alone then all of them, time the fan-out, and put the figures in the report. Failures along the way
 * are counted by kind, not thrown: the report says what happened.
 */
final class LoadRun {
    private final LoadSettings s;
    private final LoadHub hub;
    private final Report report;
    private final PrintWriter progress;
    private final Errors errors = new Errors();
    private final AtomicLong ids = new AtomicLong(1);
    private final AtomicLong hubSeq = new AtomicLong();
    private final Map<String, String> targets = new LinkedHashMap<>();
    /** Pushes and pulls sent that the hub's counters never showed finished (dropped with their connection). */
    private long uncounted;

    LoadRun(LoadSettings settings, LoadHub hub, Report report, PrintWriter progress) {
        this.s = settings;
        this.hub = hub;
        this.report = report;
        this.progress = progress;
    }

    /** Runs the load; returns the number of failures counted. */
    long run() throws Exception {
        try (HubWire wire = new HubWire(hub.url(), hub.token())) {
            List<VirtualDevice> fleet = lease(wire);
            progress(s.devices() + " devices leased their short ids");
            MemorySample bare = hub.memory(true);
            StreamFleet live = new StreamFleet(s.streams(), errors);
            try (StreamClient client = s.jdkStreams()
                    ? new JdkStreamClient()
                    : new NioStreamClient(Runtime.getRuntime().availableProcessors())) {
                report.fact("streamClient", client.description());
                int open = client.open(hub.url(), hub.token(), live);
                progress(open + " of " + s.streams() + " streams open");
                MemorySample withStreams = hub.memory(true);
                report.fact("streamsOpen", open).fact("streamsOpenOnHub", openOnHub(wire));
                LoadPhase.Setup setup = new LoadPhase.Setup(wire, s.batch(), s.pullLimit(), ids, errors, hubSeq);
                if (s.warmup() > 0) {
                    progress("warm-up: " + s.devices() + " devices for " + s.warmup() + " s");
                    LoadPhase.run(fleet, Duration.ofSeconds(s.warmup()), setup);
                    backlog(wire, "backlogAfterWarmup");
                }
                progress("one device alone for " + s.seconds() + " s");
                LoadPhase.Result one = LoadPhase.run(fleet.subList(0, 1), Duration.ofSeconds(s.seconds()), setup);
                backlog(wire, "backlogAfterOneDevice");
                progress(s.devices() + " devices together for " + s.seconds() + " s");
                MemoryPeak peak = MemoryPeak.start(hub);
                long selfCpu = ProcessCpu.self();
                long hubCpu = hub.cpuNanos();
                long pgCpu = ProcessCpu.postgresOn(hub.databasePort());
                Map<String, Double> countersBefore = counters(wire);
                LoadPhase.Result all = LoadPhase.run(fleet, Duration.ofSeconds(s.seconds()), setup);
                countersDuring(countersBefore, counters(wire));
                cores("cpuCoresThisJvm", selfCpu, ProcessCpu.self(), all.seconds());
                cores("cpuCoresHubProcess", hubCpu, hub.cpuNanos(), all.seconds());
                cores("cpuCoresPostgres", pgCpu, ProcessCpu.postgresOn(hub.databasePort()), all.seconds());
                MemorySample top = peak.stop();
                backlog(wire, "backlogAfterLoad");
                phases(one, all);
                if (s.streams() > 0) {
                    progress("fan-out of " + s.probes() + " single pushes to every stream");
                    fanOut(FanOut.measure(wire, fleet.getFirst(), live, s.probes(), ids, errors));
                }
                memory(bare, withStreams, top, open);
                report.fact("streamsOpenAtEnd", live.openCount());
            }
        }
        report.fact("syncCallsTheHubNeverCounted", uncounted);
        targets.put("zero errors", verdict(errors.total() == 0));
        report.fact("targets", targets).fact("errorCount", errors.total()).fact("errors", errors.byKind());
        if (errors.total() > 0) {
            report.fact("errorExamples", errors.examples());
        }
        progress("done");
        return errors.total();
    }

    /** A line on standard error saying what the run does now (the report goes to standard output). */
    private void progress(String what) {
        progress.printf("bench load %tT  %s (errors so far: %d)%n", System.currentTimeMillis(), what, errors.total());
        progress.flush();
    }

    /** N devices, each with a short id leased, 32 leases at a time. */
    private List<VirtualDevice> lease(HubWire wire) throws InterruptedException {
        List<VirtualDevice> fleet = new ArrayList<>(s.devices());
        Semaphore inFlight = new Semaphore(32);
        List<Thread> leasing = new ArrayList<>(s.devices());
        for (int i = 0; i < s.devices(); i++) {
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

    /**
     * Waits for the hub to finish what the phase sent it (requests the devices gave up on included) and
     * reports how long that took: the next phase starts on an idle hub.
     */
    private void backlog(HubWire wire, String key) throws InterruptedException {
        HubWire.Backlog b = wire.awaitServed(Duration.ofMinutes(10), errors);
        if (b != null) {
            report.fact(key + "Seconds", b.seconds());
            uncounted = Math.max(uncounted, b.uncounted());
        }
    }

    private Map<String, Double> counters(HubWire wire) {
        try {
            return wire.counters();
        } catch (HubWire.CallFailed e) {
            errors.add(e.kind, e.getMessage());
            return Map.of();
        }
    }

    /** What the hub's counters (notifications sent and coalesced, pulls shared, ...) counted during the load. */
    private void countersDuring(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Long> moved = new TreeMap<>();
        after.forEach((k, v) -> {
            long d = Math.round(v - before.getOrDefault(k, 0.0));
            if (d != 0) {
                moved.put(k, d);
            }
        });
        report.fact("hubCountersDuringLoad", moved);
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
        double scaling = all.rowsPerSecond() / one.rowsPerSecond();
        report.measure("one device alone", one.rows(), one.seconds())
                .measure(all.devices() + " devices together", all.rows(), all.seconds())
                .fact("rowsPerSecond", all.rowsPerSecond())
                .fact("oneDeviceRowsPerSecond", one.rowsPerSecond())
                .fact("scaling", scaling)
                .fact("pushes", all.pushes())
                .fact("pulledRowsPerSecond", all.pulled() / all.seconds());
        latency("push", all.push());
        latency("pull", all.pull());
        latency("oneDevicePush", one.push());
        latency("oneDevicePull", one.pull());
        if (s.devices() >= 50) {
            targets.put("aggregate >= 6x one device", verdict(scaling >= 6));
            targets.put("push p99 <= 250 ms", verdict(all.push().p99() <= 250));
        }
        if (s.devices() >= 1000 && s.streams() >= 10_000) {
            targets.put("push p99 < 1 s with 10,000 streams", verdict(all.push().p99() < 1000));
        }
    }

    private void fanOut(FanOut.Result r) {
        if (r == null) {
            return;
        }
        report.fact(
                        "fanoutMeasured",
                        "from just before each probe push is sent until each stream hears of the position it reached,"
                                + " one push at a time with no other load")
                .fact("fanoutNotifications", r.fanout().count());
        latency("fanout", r.fanout());
        latency("probePush", r.push());
        if (s.streams() >= 10_000) {
            targets.put(
                    "fan-out p99 <= 250 ms to 10,000 streams",
                    verdict(r.fanout().p99() <= 250));
            targets.put("probe push answered in < 50 ms", verdict(r.push().max() < 50));
        }
    }

    private void memory(MemorySample bare, MemorySample withStreams, MemorySample peak, int open) {
        mb("hubHeapMb", bare.heapUsed());
        mb("hubRssMb", bare.rss());
        mb("hubHeapWithStreamsMb", withStreams.heapUsed());
        mb("hubRssWithStreamsMb", withStreams.rss());
        if (open > 0) {
            perStreamKb("heapPerStreamKb", bare.heapUsed(), withStreams.heapUsed(), open);
            perStreamKb("rssPerStreamKb", bare.rss(), withStreams.rss(), open);
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

    private void perStreamKb(String key, long before, long after, int streams) {
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

    private static String verdict(boolean met) {
        return met ? "met" : "missed";
    }
}
