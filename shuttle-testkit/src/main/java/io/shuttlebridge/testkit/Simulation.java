package io.shuttlebridge.testkit;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.capture.CaptureOptions;
import io.shuttlebridge.core.sync.ConflictRecord;
import io.shuttlebridge.core.sync.ConflictResolver;
import io.shuttlebridge.testkit.SimulationResult.WriteKind;
import io.shuttlebridge.testkit.internal.Cluster;
import io.shuttlebridge.testkit.internal.ClusterSpec;
import io.shuttlebridge.testkit.internal.DeviceNode;
import io.shuttlebridge.testkit.internal.Faults;
import io.shuttlebridge.testkit.internal.Folders;
import io.shuttlebridge.testkit.internal.History;
import io.shuttlebridge.testkit.internal.HubSite;
import io.shuttlebridge.testkit.internal.Node;
import io.shuttlebridge.testkit.internal.SchemaModel;
import io.shuttlebridge.testkit.internal.SqlText;
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

/**
 * A randomized fault schedule: random writes over the schema on N devices with random, faulty
 * syncs to a hub; then quiescence (fault-free syncs until a round changes nothing); then the
 * checks: the replicas converged ({@link Convergence}) and, per the policy, no acknowledged write
 * was lost (see {@link #run}). Under CUSTOM every table's resolver keeps the hub's row.
 *
 * <p>Every random choice (device, write, values, sync, fault) comes from one {@link Random} seeded
 * with the configuration's seed, and time is read from one {@link Clock}; the databases' capture
 * triggers still stamp writes from the wall clock, so a schedule repeats its choices for a seed
 * but not its stamps.
 */
public final class Simulation {
    private static final int SHOWN = 10;
    private static final ConflictResolver KEEP_HUB_ROW =
            (table, local, remote, base) -> new ConflictResolver.KeepLocal();

    private final SimulationConfig config;
    private final ProgressListener progress;
    private final Clock clock = Clock.systemUTC();

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
        long started = clock.millis();
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
        try (Cluster k = new Cluster(spec(dir, faults))) {
            Workload workload = new Workload(SchemaModel.read(k.device(0).database(), k.tables()), random);
            faults.arm(true);
            int made = 0;
            for (int step = 0; made < config.ops(); step++) {
                DeviceNode dev = k.device(random.nextInt(config.replicas()));
                if (random.nextInt(3) == 0) {
                    syncs++;
                    int page = faults.pageSize();
                    Faults.Partial partial = faults.partial();
                    try {
                        k.sync(dev, faults.wrap(k.transport(), partial), page);
                    } catch (ShuttleException e) {
                        if (e.getMessage() != null && e.getMessage().contains("(injected)")) {
                            interrupted++;
                        } else if (unexpected.size() < SHOWN) {
                            unexpected.add(dev.name() + " sync at step " + step + ": " + e.getMessage());
                        }
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
            int rounds = k.settle(20 + 2 * config.replicas());
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
                            + " written rows holds its highest-stamped write (absent when that was a delete)");
                }
                case FIELD_LWW -> {
                    lost.addAll(history.checkColumns(k.hub()));
                    checks.add("FIELD_LWW oracle: each column of " + history.rowsTracked()
                            + " written rows holds its highest-stamped write since the row's last delete"
                            + " (absent when the newest write was a delete)");
                }
                default ->
                    checks.add(
                            config.policy() + ": no single-value oracle (conflicts may keep older values by design)");
            }
            lost.addAll(history.checkWritten(k.hub()));
            checks.add("written: every hub row is a row some node wrote (" + history.writes() + " writes recorded)");
            List<ConflictRecord> conflicts = k.all().stream()
                    .flatMap(n -> n.engine().conflicts(false).stream())
                    .toList();
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
                    unexpected,
                    rounds,
                    hubRows(k),
                    checks,
                    first(convergence.differences()),
                    first(lost),
                    clock.millis() - started,
                    config.keep() == null ? null : dir);
        }
    }

    private ClusterSpec spec(Path dir, Faults faults) {
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
                new HubSite(config.postgresHub(), config.overHttp(), clock));
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
