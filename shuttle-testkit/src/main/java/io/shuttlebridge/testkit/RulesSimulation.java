package io.shuttlebridge.testkit;

import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.capture.CaptureOptions;
import io.shuttlebridge.core.sync.ConflictRecord;
import io.shuttlebridge.core.sync.SyncReport;
import io.shuttlebridge.server.rules.SyncRules;
import io.shuttlebridge.testkit.SimulationResult.WriteKind;
import io.shuttlebridge.testkit.internal.DatabaseDigest;
import io.shuttlebridge.testkit.internal.Faults;
import io.shuttlebridge.testkit.internal.Folders;
import io.shuttlebridge.testkit.internal.HubSite;
import io.shuttlebridge.testkit.internal.Node;
import io.shuttlebridge.testkit.internal.RulesCluster;
import io.shuttlebridge.testkit.internal.RulesOracle;
import io.shuttlebridge.testkit.internal.ScheduleTrace;
import io.shuttlebridge.testkit.internal.SchemaModel;
import io.shuttlebridge.testkit.internal.SqlText;
import io.shuttlebridge.testkit.internal.Workload;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * A randomized fault schedule under sync rules (DESIGN §9): a hub that enforces {@code rules} over
 * HTTP with JWTs, devices cloned by a few subjects, random writes on the devices (many outside what
 * their subject may write) and on the hub (membership rows granted and revoked, rows moved between
 * projects: what an administrator or another system does), random syncs with the configured faults;
 * then quiescence and the oracle of {@link RulesOracle}: every device holds exactly the hub rows its
 * subject may read, nothing more, nothing less, hidden columns absent; no row outside a subject's
 * write rule was ever stored on the hub; every refusal a device heard of shows there as a rejected
 * write; devices of one subject agree.
 *
 * <p>The schedule (every choice of device, write, values, sync and fault) comes from the seed; the
 * nodes run on the system clock and take fresh identities when cloned, so a replay makes the same
 * choices but not byte-identical files.
 */
public final class RulesSimulation {
    /** The tables of DESIGN §9's example. */
    public static final TestSchema PROJECTS = TestSchema.of("""
            CREATE TABLE project (id BIGINT PRIMARY KEY, name TEXT NOT NULL);
            CREATE TABLE project_member (project_id BIGINT NOT NULL REFERENCES project(id),
              user_id TEXT NOT NULL, role TEXT NOT NULL, PRIMARY KEY (project_id, user_id));
            CREATE TABLE task (id BIGINT PRIMARY KEY, project_id BIGINT NOT NULL REFERENCES project(id),
              title TEXT, internal_cost NUMERIC(10,2));
            CREATE TABLE catalog (sku TEXT PRIMARY KEY, price NUMERIC(10,2));
            """);

    /** DESIGN §9's example rules, for {@link #PROJECTS}. */
    public static final String PROJECT_RULES = """
            version: 1
            tables:
              project:
                read:  "id IN (SELECT project_id FROM project_member WHERE user_id = :sub)"
                write: "id IN (SELECT project_id FROM project_member WHERE user_id = :sub AND role = 'owner')"
              task:
                read:  "project_id IN (SELECT project_id FROM project_member WHERE user_id = :sub)"
                write: read
                hidden_columns: [internal_cost]
              project_member:
                read:  "user_id = :sub"
              catalog:
                read:  all
            """;

    private static final int SHOWN = 10;

    private final SimulationConfig config;
    private final SyncRules rules;
    private final int subjects;
    private final ProgressListener progress;
    private final Clock realTime = Clock.systemUTC();

    /**
     * @param config devices ({@code replicas}), writes, schema, policy, faults, seed, where the hub lives
     *     (SQLite file or PostgreSQL; always over HTTP) and a folder to keep
     * @param subjects how many subjects the devices are spread over ({@code k1}, {@code k2}, ...)
     */
    public RulesSimulation(SimulationConfig config, SyncRules rules, int subjects, ProgressListener progress) {
        this.config = Objects.requireNonNull(config, "config");
        this.rules = Objects.requireNonNull(rules, "rules");
        this.progress = Objects.requireNonNull(progress, "progress");
        if (subjects < 1 || subjects > config.replicas()) {
            throw new IllegalArgumentException(
                    "subjects must be between 1 and the " + config.replicas() + " replicas, got " + subjects);
        }
        this.subjects = subjects;
    }

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
        ScheduleTrace.start();
        Random random = new Random(config.seed());
        Faults faults = new Faults(config.faults(), random);
        Map<WriteKind, Integer> writes = new EnumMap<>(WriteKind.class);
        for (WriteKind kind : WriteKind.values()) {
            writes.put(kind, 0);
        }
        int refused = 0;
        int syncs = 0;
        int interrupted = 0;
        List<String> unexpected = new ArrayList<>();
        try (RulesCluster k = new RulesCluster(
                dir,
                config.schema(),
                CaptureOptions.builder().policy(config.policy()).build(),
                rules,
                config.replicas(),
                subjects,
                faults.crashListener(),
                new HubSite(config.postgresHub(), true))) {
            RulesOracle oracle = new RulesOracle(k);
            Workload onHub = new Workload(SchemaModel.read(k.hub().database(), k.tables()), random);
            List<Workload> onDevices = new ArrayList<>();
            for (int i = 0; i < config.replicas(); i++) {
                onDevices.add(new Workload(SchemaModel.read(k.device(i).database(), k.deviceTables(i)), random));
            }
            faults.arm(true);
            int made = 0;
            for (int step = 0; made < config.ops(); step++) {
                int i = random.nextInt(config.replicas());
                if (random.nextInt(3) == 0) {
                    syncs++;
                    int page = faults.pageSize();
                    Faults.Partial partial = faults.partial();
                    long before = oracle.hubPosition();
                    oracle.sampleReadable(i);
                    ScheduleTrace.note("step " + step + ": " + k.device(i).name() + " syncs, pages of " + page
                            + (partial == Faults.Partial.NONE ? "" : ", " + partial));
                    try {
                        k.sync(
                                i,
                                oracle.hearing(
                                        i,
                                        faults.wrap(
                                                ScheduleTrace.transport(
                                                        k.device(i).name(), k.transport(i)),
                                                partial)),
                                page);
                    } catch (ShuttleException e) {
                        ScheduleTrace.note(k.device(i).name() + " sync failed: " + e.getMessage());
                        if (e.getMessage() != null && e.getMessage().contains("(injected)")) {
                            interrupted++;
                        } else if (unexpected.size() < SHOWN) {
                            unexpected.add(k.device(i).name() + " sync at step " + step + ": " + e.getMessage());
                        }
                    }
                    oracle.checkStored(i, before);
                    oracle.checkReceived(i);
                    continue;
                }
                Workload.Write w = random.nextInt(4) == 0
                        ? onHub.write(k.hub(), step)
                        : onDevices.get(i).write(k.device(i), step);
                writes.merge(w.kind(), 1, Integer::sum);
                refused += w.refused() ? 1 : 0;
                made++;
                progress.progress("simulate", made, config.ops());
            }
            faults.arm(false);
            int rounds = settle(k, oracle, 20 + 2 * config.replicas());
            List<String> checks = new ArrayList<>();
            List<String> differences = new ArrayList<>(oracle.differences());
            if (!differences.isEmpty() || !unexpected.isEmpty()) {
                ScheduleTrace.keep("rules-seed-" + config.seed() + "-" + hubName(config))
                        .ifPresent(f -> differences.add("the schedule's trace: " + f));
            }
            checks.add("read rules: every device holds exactly the hub rows its subject may read in "
                    + k.tables().size() + " table(s) " + k.tables()
                    + " (nothing more, nothing less, hidden columns absent); devices of one subject agree;"
                    + " nothing unpushed or waiting for a parent");
            List<String> lost = oracle.lost();
            checks.add("write rules: " + oracle.storedChecked() + " checks after syncs found no row a device stored"
                    + " outside its subject's write rule; each of " + oracle.refusals()
                    + " refusals heard by a device shows there as a rejected write; each of "
                    + oracle.receivedChecked() + " rows devices received was one their subject could read ("
                    + oracle.movedPages() + " pages of rows moved in)");
            List<ConflictRecord> conflicts = k.all().stream()
                    .flatMap(n -> n.engine().conflicts(false).stream())
                    .toList();
            Map<String, Integer> hubRows = new LinkedHashMap<>();
            for (String table : k.tables()) {
                Object n = k.hub()
                        .query("SELECT count(*) AS n FROM " + SqlText.quote(table))
                        .get(0)
                        .get("n");
                hubRows.put(table, ((Number) n).intValue());
            }
            List<Path> files = k.all().stream()
                    .map(Node::url)
                    .filter(u -> u.startsWith("jdbc:sqlite:"))
                    .map(u -> Path.of(u.substring("jdbc:sqlite:".length())))
                    .toList();
            k.close();
            return new SimulationResult(
                    config,
                    writes,
                    refused,
                    oracle.refusals(),
                    syncs,
                    interrupted,
                    faults.injected(),
                    conflicts.size(),
                    (int) conflicts.stream().filter(ConflictRecord::open).count(),
                    0,
                    unexpected,
                    rounds,
                    hubRows,
                    checks,
                    differences,
                    lost,
                    DatabaseDigest.of(files),
                    realTime.millis() - started,
                    config.keep() == null ? null : dir);
        }
    }

    /** The hub's kind, for a trace's name. */
    private static String hubName(SimulationConfig config) {
        String url = config.postgresHub();
        return url == null
                ? "sqlite"
                : url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:") ? "mariadb" : "postgresql";
    }

    /** Fault-free syncs of every device in turn until a round changes nothing; -1 when that never happens. */
    private static int settle(RulesCluster k, RulesOracle oracle, int maxRounds) {
        for (int round = 1; round <= maxRounds; round++) {
            int changed = 0;
            for (int i = 0; i < k.devices().size(); i++) {
                long before = oracle.hubPosition();
                oracle.sampleReadable(i);
                ScheduleTrace.note("settle round " + round + ": " + k.device(i).name() + " syncs");
                SyncReport r = k.sync(
                        i,
                        oracle.hearing(i, ScheduleTrace.transport(k.device(i).name(), k.transport(i))),
                        io.shuttlebridge.core.sync.SyncEngine.DEFAULT_PAGE);
                oracle.checkStored(i, before);
                oracle.checkReceived(i);
                // a refused write changes its device too (the hub's row restored, or the row removed)
                changed += r.applied() + r.pushed() + r.conflicts() + r.rejected();
            }
            if (changed == 0) {
                return round;
            }
        }
        return -1;
    }
}
