package io.shuttlebridge.testkit;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.capture.CaptureOptions;
import io.shuttlebridge.core.sync.ConflictRecord;
import io.shuttlebridge.core.sync.ConflictResolver;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.testkit.SimulationResult.WriteKind;
import io.shuttlebridge.testkit.internal.ClockSkews;
import io.shuttlebridge.testkit.internal.Cluster;
import io.shuttlebridge.testkit.internal.ClusterSpec;
import io.shuttlebridge.testkit.internal.DatabaseDigest;
import io.shuttlebridge.testkit.internal.DeadHeldChanges;
import io.shuttlebridge.testkit.internal.DeviceNode;
import io.shuttlebridge.testkit.internal.Faults;
import io.shuttlebridge.testkit.internal.Folders;
import io.shuttlebridge.testkit.internal.History;
import io.shuttlebridge.testkit.internal.HubSite;
import io.shuttlebridge.testkit.internal.Node;
import io.shuttlebridge.testkit.internal.NodeTime;
import io.shuttlebridge.testkit.internal.Restores;
import io.shuttlebridge.testkit.internal.SchemaModel;
import io.shuttlebridge.testkit.internal.SchemaSteps;
import io.shuttlebridge.testkit.internal.SimulatedClock;
import io.shuttlebridge.testkit.internal.SqlText;
import io.shuttlebridge.testkit.internal.SqliteNow;
import io.shuttlebridge.testkit.internal.Workload;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.UUID;

/**
 * A randomized fault schedule: random writes over the schema on N devices with random, faulty
 * syncs to a hub; then quiescence (fault-free syncs until a round changes nothing); then the
 * checks: the replicas converged ({@link Convergence}) and, per the policy, no acknowledged write
 * was lost (see {@link #run}). Under CUSTOM every table's resolver keeps the hub's row.
 *
 * <p><b>Replayable.</b> Every random choice (device, write, values, sync, fault, the nodes'
 * identities) comes from one {@link Random} seeded with the configuration's seed, and every node
 * runs on one simulated clock that starts at 2026-01-01T00:00:00Z and moves a fixed step at each
 * step of the schedule: the engines read it, and so does SQLite's 'now' on every connection to the
 * nodes' files ({@code julianday('now')}, from which the capture triggers stamp local writes). Crashes,
 * duplicates and lost acknowledgements are injected at points the same draws choose, and the only
 * threads beside the schedule's (a push's own, a hub server's) are waited for in a fixed order. So a
 * run with a SQLite hub is replayable: the same seed and configuration write the same
 * databases byte for byte, which {@link SimulationResult#digest()} shows. Only the elapsed time in
 * the result is read from the real clock.
 *
 * <p><b>Skewed clocks.</b> With {@link SimulationConfig#skewedClocks()}, each device's clock is the
 * simulated clock plus an offset of its own (ahead beyond the hub's skew bound, within it, behind, or
 * jumping), which its engine and SQLite's 'now' on its connections read; the hub keeps the simulated
 * clock. The run stays replayable.
 */
public final class Simulation {
    private static final int SHOWN = 10;
    /**
     * How far each step of the schedule (a write or a sync, and each sync of the quiescence) moves the
     * simulated clock, in milliseconds. Stamps only compare, so the amount changes nothing the engine
     * decides as long as it is not zero; a fixed amount takes nothing from the schedule's random draws.
     */
    private static final long STEP_MILLIS = 10;

    private static final ConflictResolver KEEP_HUB_ROW =
            (table, local, remote, base) -> new ConflictResolver.KeepLocal();

    private final SimulationConfig config;
    private final ProgressListener progress;
    private final Clock realTime = Clock.systemUTC();

    public Simulation(SimulationConfig config, ProgressListener progress) {
        this.config = Objects.requireNonNull(config, "config");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /**
     * Runs the simulation. The oracle depends on the policy: under LWW every row holds its
     * highest-stamped write; under FIELD_LWW every column holds its highest-stamped write (a row whose
     * newest write is a delete is absent); under every policy each hub row is one some node wrote.
     */
    public SimulationResult run() {
        long started = realTime.millis();
        Path dir = Folders.prepare(config.keep(), config.replicas());
        try {
            return run(dir, started);
        } finally {
            if (config.keep() == null) {
                Folders.deleteTree(dir);
            }
        }
    }

    private SimulationResult run(Path dir, long started) {
        Random random = new Random(config.seed());
        SimulatedClock clock = new SimulatedClock();
        Faults faults = new Faults(config.faults(), random);
        History history = new History();
        Map<WriteKind, Integer> writes = new EnumMap<>(WriteKind.class);
        for (WriteKind k : WriteKind.values()) {
            writes.put(k, 0);
        }
        int refused = 0;
        List<String> unexpected = new ArrayList<>();
        int syncs = 0;
        int interrupted = 0;
        try (SqliteNow now = new SqliteNow(clock);
                ClockSkews skews = config.skewedClocks()
                        ? new ClockSkews(clock, SyncEngine.DEFAULT_MAX_CLOCK_SKEW.toMillis(), config.replicas(), random)
                        : null;
                Cluster k =
                        new Cluster(spec(dir, faults, skews != null ? skews : NodeTime.shared(clock, now), random))) {
            Runnable tick = () -> {
                clock.advance(STEP_MILLIS);
                if (skews != null) {
                    skews.step();
                }
            };
            Workload workload =
                    new Workload(SchemaModel.read(k.device(0).database(), k.tables()), random, config.schemaChanges());
            Restores restores = new Restores(
                    k, faults, history, clock, random, Math.min(SimulationConfig.MAX_REPLICAS, 2 * config.replicas()));
            SchemaSteps schemaSteps = null;
            if (config.schemaChanges()) {
                k.followSchema();
                schemaSteps = new SchemaSteps(k, random, config.ops());
                k.onHubRestored(schemaSteps::hubRestored);
            }
            SchemaSteps changes = schemaSteps;
            faults.arm(true);
            int made = 0;
            for (int step = 0; made < config.ops(); step++) {
                tick.run();
                restores.step(step);
                if (changes != null) {
                    changes.step(made);
                }
                List<DeviceNode> devices = k.devices();
                DeviceNode dev = devices.get(random.nextInt(devices.size()));
                if (random.nextInt(3) == 0) {
                    syncs++;
                    int page = faults.pageSize();
                    Faults.Partial partial = faults.partial();
                    SchemaSteps.Watch watch = changes == null ? null : changes.watch(dev);
                    try {
                        k.sync(dev, faults.wrap(k.transport(), partial), page);
                    } catch (ShuttleException e) {
                        if (e.getMessage() != null && e.getMessage().contains("(injected)")) {
                            interrupted++;
                        } else if (e.code() == ErrorCode.NODE_COPIED && restores.refusedAsCopy(dev)) {
                            interrupted++;
                        } else if (unexpected.size() < SHOWN) {
                            unexpected.add(dev.name() + " sync at step " + step + ": " + e.getMessage());
                        }
                    }
                    if (changes != null) {
                        changes.check(watch, step);
                    }
                    history.record(dev);
                    history.record(k.hub());
                    continue;
                }
                Workload.Write w = workload.write(dev, step);
                writes.merge(w.kind(), 1, Integer::sum);
                refused += w.refused() ? 1 : 0;
                history.record(dev);
                made++;
                progress.progress("simulate", made, config.ops());
            }
            faults.arm(false);
            if (changes != null) {
                changes.finish(made);
            }
            // with skewed clocks the oracle compares each node's newest writes, so every write is read before a
            // sync of quiescence can overwrite it (a delete a node made while applying, say)
            Runnable beforeEachSync = skews == null
                    ? tick
                    : () -> {
                        k.all().forEach(history::record);
                        tick.run();
                    };
            // a device the hub refuses as a copy of another takes a new identity and syncs again
            int rounds = k.settle(20 + 2 * k.devices().size(), beforeEachSync, d -> {
                SchemaSteps.Watch watch = changes == null ? null : changes.watch(d);
                try {
                    return k.sync(d);
                } catch (ShuttleException e) {
                    if (e.code() == ErrorCode.NODE_COPIED && restores.refusedAsCopy(d)) {
                        return k.sync(d);
                    }
                    throw e;
                } finally {
                    if (changes != null) {
                        changes.check(watch, -1);
                    }
                }
            });
            k.all().forEach(history::record);

            Convergence.Result convergence = Convergence.check(k.all());
            List<String> checks = new ArrayList<>();
            checks.add("converged: every replica holds exactly the hub's rows in "
                    + k.tables().size() + " table(s) " + k.tables() + " (" + convergence.rows()
                    + " rows), nothing unpushed or waiting for a parent");
            List<String> lost = new ArrayList<>();
            switch (config.policy()) {
                case LWW -> {
                    lost.addAll(history.checkRows(k.hub()));
                    checks.add("LWW oracle: each of " + history.rowsTracked()
                            + " written rows holds its highest-stamped write (absent when that was a delete)"
                            + (skews == null ? "" : ", stamps as the hub recorded them after re-stamping"));
                }
                case FIELD_LWW -> {
                    if (skews != null) {
                        checks.add("FIELD_LWW with skewed clocks: no column oracle (a column stamp the hub brings"
                                + " down to a write's new stamp is not told apart from the write's own)");
                        break;
                    }
                    lost.addAll(history.checkColumns(k.hub()));
                    checks.add("FIELD_LWW oracle: each column of " + history.rowsTracked()
                            + " written rows holds its highest-stamped write since the row's last delete"
                            + " (absent when the newest write was a delete)");
                }
                default ->
                    checks.add(
                            config.policy() + ": no single-value oracle (conflicts may keep older values by design)");
            }
            int restamped = history.restamped(k.hub());
            if (skews != null) {
                checks.add("clocks: " + String.join(", ", skews.describe()) + "; the hub (skew bound "
                        + SyncEngine.DEFAULT_MAX_CLOCK_SKEW.toMinutes() + " min) re-stamped " + restamped
                        + " pushed write(s)");
            }
            List<String> differences = new ArrayList<>(convergence.differences());
            if (!restores.log().isEmpty()) {
                checks.add("restores: " + restores.log().size() + " event(s) (" + String.join("; ", restores.log())
                        + "); " + history.retracted() + " write(s) left out of the oracle, gone with what a"
                        + " restore took back before anyone acknowledged them");
                // a change the hub holds for a parent deleted after it, whose writer was restored before it heard
                // of the delete: never applied, never superseded (README, Limits)
                int dead = DeadHeldChanges.count(k.hub());
                if (dead > 0 && differences.remove("hub: " + dead + " received change(s) waiting for a parent row")) {
                    checks.add("held: the hub holds " + dead + " change(s) whose parent was deleted after them and"
                            + " whose writer lost them with a restore before it heard of the delete: never applied");
                }
            }
            if (changes != null) {
                List<String> wrong = changes.finalChecks();
                differences.addAll(wrong);
                checks.add("schema changes: " + String.join("; ", changes.log()) + "; " + changes.written()
                        + "; every device has every new"
                        + " column and table and no write refused for want of one, and no sync of a device that"
                        + " lacked a column blanked the hub's value of it" + (wrong.isEmpty() ? "" : " (FAILED)"));
            }
            lost.addAll(history.checkWritten(k.hub()));
            checks.add("written: every hub row is a row some node wrote (" + history.writes() + " writes recorded)");
            List<ConflictRecord> conflicts = k.all().stream()
                    .flatMap(n -> n.engine().conflicts(false).stream())
                    .toList();
            Map<String, Integer> hubRows = hubRows(k);
            k.close(); // every connection closed: SQLite has moved its write-ahead logs into the files
            String digest = DatabaseDigest.of(k.sqliteFiles());
            return new SimulationResult(
                    config,
                    writes,
                    refused,
                    history.writes(),
                    syncs,
                    interrupted,
                    faults.injected(),
                    conflicts.size(),
                    (int) conflicts.stream().filter(ConflictRecord::open).count(),
                    restamped,
                    unexpected,
                    rounds,
                    hubRows,
                    checks,
                    first(differences),
                    first(lost),
                    digest,
                    realTime.millis() - started,
                    config.keep() == null ? null : dir);
        }
    }

    /** The cluster on the simulated clocks, its nodes' identities drawn from {@code random}. */
    private ClusterSpec spec(Path dir, Faults faults, NodeTime time, Random random) {
        Map<String, ConflictResolver> resolvers = new HashMap<>();
        if (config.policy() == ConflictPolicy.CUSTOM) {
            config.schema().tables().forEach(t -> resolvers.put(t, KEEP_HUB_ROW));
        }
        return new ClusterSpec(
                dir,
                config.replicas(),
                config.schema(),
                CaptureOptions.builder().policy(config.policy()).build(),
                resolvers,
                faults.crashListener(),
                new HubSite(config.postgresHub(), config.overHttp()),
                time,
                () -> nodeUuid(random));
    }

    /** A random (version 4) UUID from {@code random}. */
    private static UUID nodeUuid(Random random) {
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
        return new UUID(high, low);
    }

    private static Map<String, Integer> hubRows(Cluster k) {
        Node hub = k.hub();
        Map<String, Integer> out = new LinkedHashMap<>();
        for (String table : k.tables()) {
            Object n = hub.query("SELECT count(*) AS n FROM " + SqlText.quote(table))
                    .get(0)
                    .get("n");
            out.put(table, ((Number) n).intValue());
        }
        return out;
    }

    private static List<String> first(List<String> all) {
        return List.copyOf(all.subList(0, Math.min(SHOWN, all.size())));
    }
}
