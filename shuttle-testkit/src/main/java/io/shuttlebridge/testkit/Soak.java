package io.shuttlebridge.testkit;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.capture.CaptureOptions;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.server.internal.RetentionRound;
import io.shuttlebridge.testkit.internal.Cluster;
import io.shuttlebridge.testkit.internal.ClusterSpec;
import io.shuttlebridge.testkit.internal.DeviceNode;
import io.shuttlebridge.testkit.internal.Folders;
import io.shuttlebridge.testkit.internal.History;
import io.shuttlebridge.testkit.internal.HubSite;
import io.shuttlebridge.testkit.internal.MetadataCounts;
import io.shuttlebridge.testkit.internal.Node;
import io.shuttlebridge.testkit.internal.NodeTime;
import io.shuttlebridge.testkit.internal.SimulatedClock;
import io.shuttlebridge.testkit.internal.SoakWorkload;
import io.shuttlebridge.testkit.internal.SqliteNow;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.UUID;

/**
 * Weeks of a hub's life in seconds: a hub and a changing population of devices on one simulated clock
 * (the engines', SQLite's 'now' and the hub's retention all read it; nothing sleeps). Devices insert notes
 * with new keys, update and delete them, so the rows stay few while the writes, and the deletes among them,
 * grow with the days; they edit a few shared board rows (MANUAL) concurrently, and each day settles its
 * conflicts; now and then one goes silent for good (with what it had not pushed) and a new one is cloned.
 * The hub's retention round ({@code shuttle serve --purge-every}, {@code --retire-after}, {@code
 * --keep-history}) runs at its period of simulated time. At the end of every simulated day the rows of
 * every {@code _shuttle_} table are counted, on the hub and on the devices.
 *
 * <p>Checks: after the retention window every table stays bounded (on the last day at most twice what it
 * held on the reference day, a third of the way in, plus a few rows per device enrolled since) while the
 * writes grow with the days; and after quiescence every device holds exactly the hub's rows and every note
 * holds its newest acknowledged write. Replayable from its seed.
 */
public final class Soak {
    private static final int SHOWN = 10;
    /** How far the clock moves at each step of a day. */
    private static final Duration STEP = Duration.ofMinutes(10);
    /** How often, on average, a device syncs. */
    private static final Duration SYNC_EVERY = Duration.ofHours(4);
    /** How many rows a table may hold per device enrolled since the reference day, beyond twice its rows then. */
    private static final int PER_DEVICE = 3;

    private final SoakConfig config;
    private final ProgressListener progress;
    private final Clock realTime = Clock.systemUTC();

    public Soak(SoakConfig config, ProgressListener progress) {
        this.config = Objects.requireNonNull(config, "config");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    public SoakResult run() {
        long started = realTime.millis();
        Path dir = Folders.prepare(config.keep(), config.devices());
        try {
            return run(dir, started);
        } finally {
            if (config.keep() == null) {
                Folders.deleteTree(dir);
            }
        }
    }

    private SoakResult run(Path dir, long started) {
        Random random = new Random(config.seed());
        SimulatedClock clock = new SimulatedClock();
        History history = new History();
        List<String> unexpected = new ArrayList<>();
        List<SoakResult.Day> days = new ArrayList<>();
        try (SqliteNow now = new SqliteNow(clock);
                Cluster k = new Cluster(spec(dir, NodeTime.shared(clock, now), random))) {
            SoakWorkload workload = new SoakWorkload(random, config.rowsPerDevice());
            workload.boards(k.hub());
            history.record(k.hub());
            RetentionRound retention = new RetentionRound(k.hub().engine(), config.retireAfter(), config.keepHistory());
            long nextRound = config.purgeEvery().isZero()
                    ? Long.MAX_VALUE
                    : clock.millis() + config.purgeEvery().toMillis();
            int enrolled = config.devices();
            int retired = 0;
            for (DeviceNode d : k.devices()) {
                sync(k, d, history, unexpected, "clone");
            }
            int stepsPerDay = (int) (Duration.ofDays(1).toMillis() / STEP.toMillis());
            double writesPerStep = config.writesPerDay() / (double) stepsPerDay;
            double syncChance = STEP.toMillis() / (double) SYNC_EVERY.toMillis();
            double owed = 0;
            for (int day = 1; day <= config.days(); day++) {
                int churnAt = day % config.churnEveryDays() == 0 ? random.nextInt(stepsPerDay) : -1;
                for (int step = 0; step < stepsPerDay; step++) {
                    clock.advance(STEP.toMillis());
                    while (clock.millis() >= nextRound) {
                        retired += retention.run().retired().size();
                        nextRound += config.purgeEvery().toMillis();
                    }
                    for (owed += writesPerStep; owed >= 1; owed--) {
                        List<DeviceNode> devices = k.devices();
                        DeviceNode d = devices.get(random.nextInt(devices.size()));
                        workload.write(d);
                        history.record(d);
                    }
                    for (DeviceNode d : k.devices()) {
                        if (random.nextDouble() < syncChance) {
                            sync(k, d, history, unexpected, "day " + day);
                        }
                    }
                    if (step == stepsPerDay / 2) {
                        settleConflicts(k, history);
                    }
                    if (step == churnAt) {
                        List<DeviceNode> devices = k.devices();
                        DeviceNode gone = devices.get(random.nextInt(devices.size()));
                        k.removeDevice(gone); // silent for good, with whatever it had not pushed
                        history.retractLost(k.hub(), k.devices());
                        DeviceNode fresh = k.addDevice();
                        enrolled++;
                        sync(k, fresh, history, unexpected, "clone on day " + day);
                    }
                }
                days.add(sample(k, day, workload.writes(), enrolled, retired));
                progress.progress("soak", day, config.days());
            }
            int rounds = k.settle(20 + 2 * k.devices().size(), () -> clock.advance(1));
            k.all().forEach(history::record);
            Convergence.Result convergence = Convergence.check(k.all());
            List<String> lost = new ArrayList<>(history.checkRows(k.hub(), SoakWorkload.NOTES::equals));
            lost.addAll(history.checkWritten(k.hub()));
            int reference = referenceDay();
            List<String> unbounded = reference == 0 ? List.of() : unbounded(days, reference);
            List<String> checks = checks(days, reference, unbounded, rounds, convergence, history);
            if (rounds < 0) {
                unexpected.add("quiescence not reached: syncs kept changing rows");
            }
            k.close();
            return new SoakResult(
                    config,
                    days,
                    checks,
                    first(unexpected),
                    first(convergence.differences()),
                    first(lost),
                    unbounded,
                    reference,
                    realTime.millis() - started,
                    config.keep() == null ? null : dir);
        }
    }

    private ClusterSpec spec(Path dir, NodeTime time, Random random) {
        CaptureOptions capture = CaptureOptions.builder()
                .policy(ConflictPolicy.LWW)
                .policy(SoakWorkload.BOARDS, ConflictPolicy.MANUAL)
                .build();
        return new ClusterSpec(
                dir,
                config.devices(),
                SoakWorkload.SCHEMA,
                capture,
                Map.of(),
                SyncEngine.ApplyListener.NONE,
                new HubSite(null, false),
                time,
                () -> new UUID(random.nextLong(), random.nextLong()),
                b -> b.keepHistory(config.keepHistory()));
    }

    private static void sync(Cluster k, DeviceNode d, History history, List<String> unexpected, String when) {
        try {
            k.sync(d);
        } catch (ShuttleException e) {
            unexpected.add(d + " sync (" + when + "): " + e.getMessage());
        }
        history.record(d);
        history.record(k.hub());
    }

    /** What an application does with its conflict records once a day: devices take the hub's row, the hub keeps its own. */
    private static void settleConflicts(Cluster k, History history) {
        for (Node n : k.all()) {
            boolean isHub = n == k.hub();
            n.engine()
                    .conflicts(true)
                    .forEach(c -> n.engine()
                            .resolve(c.id(), isHub ? new SyncEngine.TakeLocal() : new SyncEngine.TakeRemote()));
            history.record(n);
        }
    }

    private static SoakResult.Day sample(Cluster k, int day, long writes, int enrolled, int retired) {
        Map<String, Integer> hub = MetadataCounts.of(k.hub());
        Map<String, Integer> device = new LinkedHashMap<>();
        for (DeviceNode d : k.devices()) {
            MetadataCounts.of(d).forEach((t, n) -> device.merge(t, n, Math::max));
        }
        int rows = 0;
        for (String t : k.tables()) {
            rows += ((Number) k.hub()
                            .query("SELECT count(*) AS n FROM " + t)
                            .get(0)
                            .get("n"))
                    .intValue();
        }
        return new SoakResult.Day(day, writes, rows, k.devices().size(), enrolled, retired, hub, device);
    }

    /** The day the last is compared with: a third of the way in, once every retention window has passed. */
    private int referenceDay() {
        int reference = Math.max(config.windowDays() + 2, config.days() / 3);
        return reference * 2 <= config.days() ? reference : 0;
    }

    private static List<String> unbounded(List<SoakResult.Day> days, int reference) {
        SoakResult.Day ref = days.get(reference - 1);
        SoakResult.Day last = days.get(days.size() - 1);
        int slack = PER_DEVICE * (last.enrolled() - ref.enrolled());
        List<String> out = new ArrayList<>();
        check(out, "hub", ref, last, ref.hub(), last.hub(), slack);
        check(out, "device", ref, last, ref.device(), last.device(), slack);
        return out;
    }

    /** The tables that hold a few rows per device ever enrolled (their identities, tickets, retirements). */
    private static final List<String> PER_DEVICE_TABLES = List.of("_shuttle_nodes", "_shuttle_meta", "_shuttle_peers");

    private static void check(
            List<String> out,
            String where,
            SoakResult.Day ref,
            SoakResult.Day last,
            Map<String, Integer> then,
            Map<String, Integer> now,
            int slack) {
        now.forEach((table, n) -> {
            int before = then.getOrDefault(table, 0);
            if (n > 2 * Math.max(before, 1) + (PER_DEVICE_TABLES.contains(table) ? slack : 0)) {
                out.add(where + " " + table + ": " + n + " rows on day " + last.day() + ", " + before + " on day "
                        + ref.day() + " (writes " + last.writes() + " vs " + ref.writes() + ")");
            }
        });
    }

    private List<String> checks(
            List<SoakResult.Day> days,
            int reference,
            List<String> unbounded,
            int rounds,
            Convergence.Result convergence,
            History history) {
        List<String> out = new ArrayList<>();
        SoakResult.Day last = days.get(days.size() - 1);
        if (reference == 0) {
            out.add("bounded: not judged, " + config.days() + " day(s) are too few to compare two days after the "
                    + config.windowDays() + "-day retention window");
        } else {
            SoakResult.Day ref = days.get(reference - 1);
            out.add((unbounded.isEmpty()
                            ? "bounded: every"
                            : "NOT bounded (" + unbounded.size() + " table(s) kept growing): not every")
                    + " _shuttle_ table on the hub and on the devices holds on day " + last.day()
                    + " at most twice its rows of day " + ref.day() + " (the node, peer and meta tables plus "
                    + PER_DEVICE + " per device enrolled since), while the writes grew from " + ref.writes() + " to "
                    + last.writes()
                    + "; hub metadata " + ref.hubMetadata() + " -> " + last.hubMetadata() + " rows, busiest device "
                    + ref.deviceMetadata() + " -> " + last.deviceMetadata() + " (" + last.rows() + " rows, "
                    + last.devices() + " devices syncing, " + last.enrolled() + " enrolled, " + last.retired()
                    + " retired)");
        }
        out.add(
                rounds > 0
                        ? "converged after " + rounds
                                + " round(s) of syncs: every device holds exactly the hub's rows (" + convergence.rows()
                                + " rows), nothing unpushed or waiting for a parent"
                        : "quiescence NOT reached");
        out.add("LWW oracle: each of the notes written holds its newest acknowledged write (" + history.writes()
                + " writes recorded, " + history.retracted()
                + " lost with devices that went silent before pushing them)");
        out.add("written: every hub row is a row some node wrote");
        return out;
    }

    private static List<String> first(List<String> all) {
        return List.copyOf(all.subList(0, Math.min(SHOWN, all.size())));
    }
}
