package io.shuttlebridge.core.simulate;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.sync.ConflictRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Random writes on N devices with random, faulty syncs to a hub; then quiescence (fault-free syncs
 * until a round changes nothing); then the checks: every replica holds exactly the hub's rows, and
 * per the policy no acknowledged write was lost (see {@link #run}). Deterministic for a seed, up to
 * wall-clock stamps.
 */
public final class Simulation {
    private static final int SHOWN = 10;

    private final SimulationConfig config;
    private final ProgressListener progress;
    private final Supplier<SimHub> hubs;

    /** A simulation whose hub is a SQLite file reached in-process. */
    public Simulation(SimulationConfig config, ProgressListener progress) {
        this(config, progress, SimHub::sqlite);
    }

    /** A simulation whose hub each run takes from {@code hubs} (and closes when the run ends). */
    public Simulation(SimulationConfig config, ProgressListener progress, Supplier<SimHub> hubs) {
        this.config = Objects.requireNonNull(config, "config");
        this.progress = Objects.requireNonNull(progress, "progress");
        this.hubs = Objects.requireNonNull(hubs, "hubs");
    }

    /**
     * Runs the simulation. The oracle depends on the policy: under LWW every row holds its
     * highest-stamped write; under FIELD_LWW every column holds its highest-stamped write (a row whose
     * newest write is a delete is absent); under every policy each hub row is one some node wrote.
     */
    public SimulationResult run() {
        long started = System.nanoTime();
        Path dir = folder();
        try {
            return run(dir, started);
        } finally {
            if (config.keep() == null) {
                deleteTree(dir);
            }
        }
    }

    private SimulationResult run(Path dir, long started) {
        Random random = new Random(config.seed());
        Faults faults = new Faults(config.faults(), random);
        Workload workload = new Workload(config.tables(), random);
        History history = new History();
        Map<Workload.Kind, Integer> writes = new EnumMap<>(Workload.Kind.class);
        for (Workload.Kind k : Workload.Kind.values()) {
            writes.put(k, 0);
        }
        List<String> unexpected = new ArrayList<>();
        int syncs = 0;
        int interrupted = 0;
        try (SimCluster k = new SimCluster(
                dir, config.replicas(), config.tables(), config.policy(), faults.crashListener(), hubs.get())) {
            faults.arm(true);
            int made = 0;
            for (int step = 0; made < config.ops(); step++) {
                SimCluster.Node dev = k.device(random.nextInt(config.replicas()));
                if (random.nextInt(3) == 0) {
                    syncs++;
                    int page = faults.pageSize();
                    Faults.Partial partial = faults.partial();
                    try {
                        dev.engine(page).pullThenPush(faults.wrap(k.transport(), partial));
                    } catch (ShuttleException e) {
                        if (e.getMessage() != null && e.getMessage().contains("(injected)")) {
                            interrupted++;
                        } else if (unexpected.size() < SHOWN) {
                            unexpected.add(dev.name() + " sync at step " + step + ": " + e.getMessage());
                        }
                    }
                    history.record(dev);
                    history.record(k.hub);
                    continue;
                }
                writes.merge(workload.write(dev, step), 1, Integer::sum);
                history.record(dev);
                made++;
                progress.progress("simulate", made, config.ops());
            }
            faults.arm(false);
            int rounds = k.settle(20 + 2 * config.replicas());
            k.all().forEach(history::record);

            List<String> checks = new ArrayList<>();
            List<String> differences = new ArrayList<>();
            Map<String, Integer> hubRows = new LinkedHashMap<>();
            for (String table : k.tables()) {
                List<Map<String, Object>> expected = k.hub.rows(table);
                hubRows.put(table, expected.size());
                for (SimCluster.Node dev : k.devices) {
                    compare(table, expected, dev, differences);
                }
            }
            checks.add("converged: every replica holds exactly the hub's rows in "
                    + k.tables().size() + " table(s) " + k.tables() + " ("
                    + hubRows.values().stream().mapToInt(Integer::intValue).sum() + " rows)");
            List<String> lost = new ArrayList<>();
            switch (config.policy()) {
                case LWW -> {
                    lost.addAll(history.checkRows(k.hub));
                    checks.add("LWW oracle: each of " + history.rowsTracked()
                            + " written rows holds its highest-stamped write" + " (absent when that was a delete)");
                }
                case FIELD_LWW -> {
                    lost.addAll(history.checkColumns(k.hub));
                    checks.add(
                            "FIELD_LWW oracle: each column of " + history.rowsTracked() + " written rows holds its"
                                    + " highest-stamped write since the row's last delete (absent when the newest write was a delete)");
                }
                default ->
                    checks.add(
                            config.policy() + ": no single-value oracle (conflicts may keep older values by design)");
            }
            lost.addAll(history.checkWritten(k.hub, k.tables()));
            checks.add("written: every hub row is a row some node wrote (" + history.writes() + " writes recorded)");
            List<ConflictRecord> conflicts = k.all().stream()
                    .flatMap(n -> n.engine().conflicts(false).stream())
                    .toList();
            int open = (int) conflicts.stream().filter(ConflictRecord::open).count();
            return new SimulationResult(
                    config,
                    writes,
                    history.writes(),
                    syncs,
                    interrupted,
                    faults.injected(),
                    conflicts.size(),
                    open,
                    unexpected,
                    rounds,
                    hubRows,
                    checks,
                    first(differences),
                    first(lost),
                    (System.nanoTime() - started) / 1_000_000,
                    config.keep() == null ? null : dir);
        }
    }

    private static void compare(String table, List<Map<String, Object>> hub, SimCluster.Node dev, List<String> out) {
        Map<Object, Map<String, Object>> h = byId(hub);
        Map<Object, Map<String, Object>> d = byId(dev.rows(table));
        TreeSet<Object> ids = new TreeSet<>(Comparator.comparingLong(x -> ((Number) x).longValue()));
        ids.addAll(h.keySet());
        ids.addAll(d.keySet());
        for (Object id : ids) {
            if (!Objects.equals(h.get(id), d.get(id))) {
                out.add(table + " " + id + ": hub " + h.get(id) + ", " + dev.name() + " " + d.get(id));
            }
        }
    }

    private static Map<Object, Map<String, Object>> byId(List<Map<String, Object>> rows) {
        Map<Object, Map<String, Object>> out = new LinkedHashMap<>();
        rows.forEach(r -> out.put(r.get("id"), r));
        return out;
    }

    private static List<String> first(List<String> all) {
        return List.copyOf(all.subList(0, Math.min(SHOWN, all.size())));
    }

    private Path folder() {
        try {
            if (config.keep() == null) {
                return Files.createTempDirectory("shuttle-simulate");
            }
            Files.createDirectories(config.keep());
            for (int i = -1; i < config.replicas(); i++) {
                Path f = config.keep().resolve(i < 0 ? "hub.db" : "device" + i + ".db");
                if (Files.exists(f)) {
                    throw new ShuttleException(
                            ErrorCode.INVALID_ARGUMENT, f + " already exists: give --keep an empty or new folder");
                }
            }
            return config.keep();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the simulation folder: " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir + ": " + e.getMessage(), e);
        }
    }
}
