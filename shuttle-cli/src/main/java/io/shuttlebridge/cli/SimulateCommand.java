package io.shuttlebridge.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.server.rules.SyncRules;
import io.shuttlebridge.testkit.Fault;
import io.shuttlebridge.testkit.RulesSimulation;
import io.shuttlebridge.testkit.Simulation;
import io.shuttlebridge.testkit.SimulationConfig;
import io.shuttlebridge.testkit.SimulationResult;
import io.shuttlebridge.testkit.Soak;
import io.shuttlebridge.testkit.SoakConfig;
import io.shuttlebridge.testkit.SoakResult;
import io.shuttlebridge.testkit.TestSchema;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code shuttle simulate}: replicas and a hub in-process under random writes and faults, then convergence checks. */
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        description = {
            "Run N device replicas and a hub in-process on SQLite files: random inserts, updates and deletes,",
            "random syncs with injected faults, then quiescence and checks: every replica holds exactly the hub's rows",
            "and, per the policy, no acknowledged write was lost. Exit 0 on pass, 1 on divergence.",
            "The writes go to the built-in customers/orders tables (--tables) or to your own schema (--schema).",
            "Every node runs on one simulated clock: a run is replayable, the same --seed writes the same databases",
            "byte for byte, and the digest printed at the end (SHA-256 of the final files) is the same."
        })
public final class SimulateCommand implements Callable<Integer> {
    @Option(
            names = "--replicas",
            paramLabel = "N",
            defaultValue = "3",
            description = "Device replicas besides the hub (default: ${DEFAULT-VALUE}).")
    int replicas;

    @Option(
            names = "--ops",
            paramLabel = "M",
            defaultValue = "200",
            description = "Random writes to make (default: ${DEFAULT-VALUE}).")
    int ops;

    @Option(
            names = "--tables",
            paramLabel = "K",
            description = "1 customers (self-referencing), 2 + orders, 3 + order lines (default: 2).")
    Integer tables;

    @Option(
            names = "--schema",
            paramLabel = "FILE",
            description = {
                "A .sql file of CREATE TABLE statements for SQLite: the tables to write to instead of customers/orders",
                "(every table needs a primary key; values follow the declared types, foreign keys point at existing rows)."
            })
    Path schemaFile;

    @Option(
            names = "--policy",
            paramLabel = "P",
            defaultValue = "LWW",
            description =
                    "LWW, FIELD_LWW, VERSION_STRICT, MANUAL or CUSTOM (keep the hub's row) (default: ${DEFAULT-VALUE}).")
    ConflictPolicy policy;

    @Option(
            names = "--faults",
            paramLabel = "LIST",
            defaultValue = "dup,lost-ack,crash,reorder",
            description = {
                "Comma list of dup, lost-ack, crash, reorder, restore (a device restored from an older backup of its",
                "own), copy (a device file copied to a second machine, which takes a new identity when refused),",
                "hub-restore (the hub restored from an older backup), or none (default: ${DEFAULT-VALUE})."
            })
    String faults;

    @Option(
            names = "--clock-skew",
            description = "Put each device's clock off the hub's: ahead beyond the hub's skew bound, behind, or"
                    + " jumping (the hub re-stamps what is pushed beyond its bound).")
    boolean clockSkew;

    @Option(
            names = "--schema-changes",
            description = "Change the hub's schema during the run (devices reach it over HTTP): the first table gains"
                    + " a nullable and a defaulted column, a table referring to it appears, a device adds a column"
                    + " before the hub does; devices follow on their next sync.")
    boolean schemaChanges;

    @Option(
            names = "--rules",
            paramLabel = "FILE",
            description = {
                "Sync rules (YAML): the hub enforces them over HTTP with JWTs, devices are cloned by --subjects subjects",
                "(k1, k2, ...), the hub's own writes grant and revoke memberships; checks that each device holds exactly",
                "what its subject may read and that nothing outside a write rule was stored. Without --schema: the tables",
                "of the rules example (project, project_member, task, catalog)."
            })
    Path rulesFile;

    @Option(
            names = "--subjects",
            paramLabel = "N",
            defaultValue = "2",
            description = "With --rules: how many subjects the replicas are spread over (default: ${DEFAULT-VALUE}).")
    int subjects;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the random schedule (default: random, printed).")
    Long seed;

    @Option(
            names = "--keep",
            paramLabel = "DIR",
            description = "Leave hub.db and deviceN.db in DIR instead of a deleted temp folder.")
    Path keep;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Option(
            names = "--soak-days",
            paramLabel = "DAYS",
            description = {
                "Soak instead: DAYS simulated days of a hub and --replicas devices at a time (--ops writes a day, default",
                "60), one device lost and a new one cloned every 3 days, the hub's retention every --purge-every; prints",
                "the rows of every _shuttle_ table each day and checks they stay bounded after the 7-day retention window."
            })
    Integer soakDays;

    @Option(
            names = "--purge-every",
            paramLabel = "DURATION",
            defaultValue = "1h",
            converter = DurationConverter.class,
            description = "With --soak-days: how often the hub's retention runs, in simulated time; 0 for never"
                    + " (default: ${DEFAULT-VALUE}).")
    java.time.Duration purgeEvery;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        long s = seed != null ? seed : new SecureRandom().nextLong();
        if (soakDays != null) {
            return soak(out, s);
        }
        SimulationConfig config = SimulationConfig.builder()
                .replicas(replicas)
                .ops(ops)
                .schema(schema())
                .policy(policy)
                .faults(Fault.parseList(faults))
                .seed(s)
                .keep(keep)
                .skewedClocks(clockSkew)
                .overHttp(schemaChanges)
                .schemaChanges(schemaChanges)
                .build();
        if (!json) {
            out.println("seed " + s);
            out.printf(
                    "simulating %d replica(s) and a hub: %d writes on %s%s, policy %s, faults %s%s%n",
                    replicas,
                    ops,
                    schemaFile == null ? "" : config.schema().source() + " ",
                    config.schema().tables(),
                    policy,
                    Fault.labels(config.faults()),
                    (clockSkew ? ", devices' clocks off the hub's" : "")
                            + (schemaChanges ? ", the hub's schema changing over HTTP" : ""));
            if (rulesFile != null) {
                out.printf(
                        "sync rules %s: the hub serves them over HTTP, devices signed in as %d subject(s)%n",
                        rulesFile, subjects);
            }
            out.flush();
        }
        ProgressListener progress = json
                ? ProgressListener.NONE
                : Terminal.progress(spec.commandLine().getErr());
        if (clockSkew) {
            // the re-stamps the skewed clocks cause are expected, and counted in the result: not warned of one by one
            quiet("io.shuttlebridge.core.internal.sync");
        }
        SimulationResult r = rulesFile == null
                ? new Simulation(config, progress).run()
                : new RulesSimulation(config, SyncRules.load(rulesFile), subjects, progress).run();
        if (json) {
            out.println(new ObjectMapper().writeValueAsString(document(r)));
        } else {
            print(out, r);
        }
        out.flush();
        return r.passed() ? Main.EXIT_OK : Main.EXIT_FAILURE;
    }

    /** {@code --soak-days}: the soak, its per-day table and checks. */
    private int soak(PrintWriter out, long s) throws Exception {
        for (String refused : new String[] {
            "--rules", "--schema", "--tables", "--policy", "--faults", "--clock-skew", "--schema-changes"
        }) {
            if (spec.commandLine().getParseResult().hasMatchedOption(refused)) {
                throw new ShuttleException(
                        ErrorCode.INVALID_ARGUMENT,
                        refused + " does not apply to --soak-days: the soak runs its own notes and boards tables");
            }
        }
        SoakConfig.Builder b = SoakConfig.builder()
                .days(soakDays)
                .devices(replicas)
                .purgeEvery(purgeEvery)
                .seed(s)
                .keep(keep);
        if (spec.commandLine().getParseResult().hasMatchedOption("--ops")) {
            b.writesPerDay(ops);
        }
        SoakConfig config = b.build();
        if (!json) {
            out.println("seed " + s);
            out.printf(
                    "soaking %d simulated day(s): %d device(s) at a time, %d writes a day, a device lost and a new one"
                            + " cloned every %d days; the hub's retention %s, devices retired after %s silent, history"
                            + " kept %s%n",
                    config.days(),
                    config.devices(),
                    config.writesPerDay(),
                    config.churnEveryDays(),
                    config.purgeEvery().isZero()
                            ? "never runs"
                            : "every "
                                    + io.shuttlebridge.core.internal.DurationText.of(
                                            config.purgeEvery().toMillis()),
                    io.shuttlebridge.core.internal.DurationText.of(
                            config.retireAfter().toMillis()),
                    io.shuttlebridge.core.internal.DurationText.of(
                            config.keepHistory().toMillis()));
            out.flush();
        }
        ProgressListener progress = json
                ? ProgressListener.NONE
                : Terminal.progress(spec.commandLine().getErr());
        SoakResult r = new Soak(config, progress).run();
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("seed", s);
            doc.put("days", r.days());
            doc.put("checks", r.checks());
            doc.put("unbounded", r.unbounded());
            doc.put("unexpectedErrors", r.unexpectedErrors());
            doc.put("differences", r.differences());
            doc.put("lostWrites", r.lostWrites());
            doc.put("elapsedMillis", r.elapsedMillis());
            doc.put("passed", r.passed());
            out.println(new ObjectMapper().writeValueAsString(doc));
        } else {
            r.table().forEach(out::println);
            r.checks().forEach(c -> out.println("check " + c));
            r.unbounded().forEach(u -> out.println("unbounded " + u));
            r.unexpectedErrors().forEach(e -> out.println("unexpected error: " + e));
            r.differences().forEach(d -> out.println("difference " + d));
            r.lostWrites().forEach(d -> out.println("lost " + d));
            if (r.kept() != null) {
                out.println("databases kept in " + r.kept());
            }
            out.printf("%s (seed %d, %.1f s)%n", r.passed() ? "PASS" : "FAIL", s, r.elapsedMillis() / 1000.0);
        }
        out.flush();
        return r.passed() ? Main.EXIT_OK : Main.EXIT_FAILURE;
    }

    private static void quiet(String logger) {
        if (LoggerFactory.getLogger(logger) instanceof ch.qos.logback.classic.Logger l) {
            l.setLevel(ch.qos.logback.classic.Level.ERROR);
        }
    }

    private TestSchema schema() {
        if (schemaFile != null && tables != null) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT,
                    "give --tables (the built-in customers/orders tables) or --schema FILE, not both");
        }
        if (schemaFile != null) {
            return TestSchema.fromFile(schemaFile);
        }
        if (rulesFile != null) {
            if (tables != null) {
                throw new ShuttleException(
                        ErrorCode.INVALID_ARGUMENT,
                        "--rules runs on the rules example's tables or on --schema FILE, not on --tables");
            }
            return RulesSimulation.PROJECTS;
        }
        return TestSchema.customersAndOrders(tables == null ? 2 : tables);
    }

    private void print(PrintWriter out, SimulationResult r) {
        out.printf(
                "did: %d writes (%s), %d refused by the schema's constraints, %d "
                        + (rulesFile == null ? "recorded in the history" : "refused by the hub's rules")
                        + "; %d syncs, %d cut short by a fault%n",
                r.writes().values().stream().mapToInt(Integer::intValue).sum(),
                r.writes().entrySet().stream()
                        .map(e -> e.getValue() + " " + e.getKey().name().toLowerCase(Locale.ROOT) + "s")
                        .collect(Collectors.joining(", ")),
                r.refusedWrites(),
                r.recordedWrites(),
                r.syncs(),
                r.interruptedSyncs());
        out.println("faults injected: "
                + (r.faultsInjected().isEmpty()
                        ? "none"
                        : r.faultsInjected().entrySet().stream()
                                .map(e -> e.getKey().label() + " " + e.getValue())
                                .collect(Collectors.joining(", "))));
        out.printf("conflict records (all nodes): %d (%d open)%n", r.conflicts(), r.openConflicts());
        out.println(
                r.settleRounds() > 0
                        ? "quiescence after " + r.settleRounds() + " round(s) of fault-free syncs"
                        : "quiescence NOT reached: syncs kept changing rows");
        out.println("hub rows: " + r.hubRows());
        r.checks().forEach(c -> out.println("check " + c));
        r.unexpectedErrors().forEach(e -> out.println("unexpected error: " + e));
        r.differences().forEach(d -> out.println("difference " + d));
        r.lostWrites().forEach(d -> out.println("lost " + d));
        out.println("digest of the final databases: " + r.digest()
                + (rulesFile == null
                        ? " (a run of the same seed replays when it prints the same digest)"
                        : " (under --rules a run of the same seed makes the same choices, on fresh clones)"));
        if (r.kept() != null) {
            out.println("databases kept in " + r.kept());
        }
        out.printf(
                "%s (seed %d, %.1f s)%n",
                r.passed() ? "PASS" : "FAIL", r.config().seed(), r.elapsedMillis() / 1000.0);
    }

    private static Map<String, Object> document(SimulationResult r) {
        Map<String, Object> doc = new LinkedHashMap<>();
        SimulationConfig c = r.config();
        doc.put("seed", c.seed());
        doc.put("replicas", c.replicas());
        doc.put("ops", c.ops());
        doc.put("schema", c.schema().source());
        doc.put("tables", c.schema().tables());
        doc.put("policy", c.policy().name());
        doc.put("faults", Fault.labels(c.faults()));
        doc.put("clockSkew", c.skewedClocks());
        doc.put("schemaChanges", c.schemaChanges());
        Map<String, Integer> writes = new LinkedHashMap<>();
        r.writes().forEach((k, v) -> writes.put(k.name().toLowerCase(Locale.ROOT), v));
        doc.put("writes", writes);
        doc.put("refusedWrites", r.refusedWrites());
        doc.put("recordedWrites", r.recordedWrites());
        doc.put("syncs", r.syncs());
        doc.put("interruptedSyncs", r.interruptedSyncs());
        Map<String, Integer> injected = new LinkedHashMap<>();
        r.faultsInjected().forEach((k, v) -> injected.put(k.label(), v));
        doc.put("faultsInjected", injected);
        doc.put("conflicts", r.conflicts());
        doc.put("openConflicts", r.openConflicts());
        doc.put("restampedWrites", r.restampedWrites());
        doc.put("settleRounds", r.settleRounds());
        doc.put("hubRows", r.hubRows());
        doc.put("checks", r.checks());
        doc.put("unexpectedErrors", r.unexpectedErrors());
        doc.put("differences", r.differences());
        doc.put("lostWrites", r.lostWrites());
        doc.put("digest", r.digest());
        doc.put("kept", r.kept() == null ? null : r.kept().toString());
        doc.put("elapsedMillis", r.elapsedMillis());
        doc.put("passed", r.passed());
        return doc;
    }
}
