package io.shuttlebridge.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.MariaDb;
import io.shuttlebridge.core.Postgres;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.server.HubServer;
import io.shuttlebridge.server.rules.SyncRules;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded {@link RulesSimulation}s with DESIGN §9's example rules: four devices of two subjects
 * cloned from a hub that enforces the rules over HTTP, random writes on the devices and on the hub
 * (memberships granted and revoked, tasks moved), random syncs with every fault; after quiescence
 * every device holds exactly what its subject may read, no row outside a write rule was stored, and
 * every refusal shows on its device. Every seed on a SQLite hub and on PostgreSQL, the first 15 on MariaDB too.
 *
 * <p>Replay a failure with {@code -Dshuttle.seed=N}; more schedules with {@code
 * -Dshuttle.rulesSchedules=N} (default 150 per hub); more writes with {@code -Dshuttle.ops=N} (default 40).
 * The nodes run on real clocks, so a replay may not meet the same timing; {@code -Dshuttle.trace=DIR} writes
 * a failing schedule's every statement and hub call with its answer to a file in DIR, named in the failure.
 */
@Execution(ExecutionMode.CONCURRENT) // schedules are independent: two at a time keep both cores busy through HTTP waits
class RulesSimulationIT {
    private static final int SCHEDULES = 150;
    private static final int OPS = 40;
    /** The first seeds also run on a MariaDB hub (fewer, for the suite's time; {@code -Dshuttle.mariaDbRulesSchedules=N}). */
    private static final int MARIADB_SCHEDULES = 15;

    private static final Logger SERVER_LOG = Logs.logback(HubServer.class);
    /** Every refused write is logged as a warning on its device: thousands here, by design. */
    private static final Logger REJECTED_LOG = Logs.logback("io.shuttlebridge.core.internal.sync.RejectedWrites");

    private static String database;
    private static String mariaDb;
    private static Level serverLevel;

    @BeforeAll
    static void start() {
        database = Postgres.freshDatabase();
        serverLevel = SERVER_LOG.getLevel();
        SERVER_LOG.setLevel(Level.OFF); // every injected crash on the hub is a logged 500
        REJECTED_LOG.setLevel(Level.ERROR);
    }

    @AfterAll
    static void restoreLogging() {
        SERVER_LOG.setLevel(serverLevel);
        REJECTED_LOG.setLevel(null);
    }

    static Stream<Arguments> schedules() {
        Long one = Long.getLong("shuttle.seed");
        LongStream seeds = one != null
                ? LongStream.of(one)
                : LongStream.range(0, Integer.getInteger("shuttle.rulesSchedules", SCHEDULES));
        int onMariaDb = one != null
                ? Integer.MAX_VALUE
                : Integer.getInteger("shuttle.mariaDbRulesSchedules", MARIADB_SCHEDULES);
        return seeds.boxed()
                .flatMap(s -> s < onMariaDb
                        ? Stream.of(
                                Arguments.of(s, "sqlite"), Arguments.of(s, "postgresql"), Arguments.of(s, "mariadb"))
                        : Stream.of(Arguments.of(s, "sqlite"), Arguments.of(s, "postgresql")));
    }

    private static synchronized String mariaDb() {
        if (mariaDb == null) {
            mariaDb = MariaDb.freshDatabase();
        }
        return mariaDb;
    }

    @ParameterizedTest(name = "seed {0} on a {1} hub")
    @MethodSource("schedules")
    void devicesHoldWhatTheirSubjectsMayReadAndStoreOnlyWhatTheyMayWrite(long seed, String hub) {
        SimulationConfig.Builder b = SimulationConfig.builder()
                .replicas(4)
                .ops(Integer.getInteger("shuttle.ops", OPS))
                .schema(RulesSimulation.PROJECTS)
                .policy(ConflictPolicy.LWW)
                .seed(seed);
        String keep = System.getProperty("shuttle.keep");
        if (keep != null) {
            b.keep(java.nio.file.Path.of(keep, hub + "-" + seed));
        }
        if (hub.equals("postgresql")) {
            b.postgresHub(database);
        } else if (hub.equals("mariadb")) {
            b.mariaDbHub(mariaDb());
        }
        SimulationResult r = new RulesSimulation(
                        b.build(),
                        SyncRules.parse(RulesSimulation.PROJECT_RULES, "rules.yaml"),
                        2,
                        ProgressListener.NONE)
                .run();
        String why = "seed " + seed + " on a " + hub + " hub (replay: -Dshuttle.seed=" + seed + ")";
        System.out.println(why + ": " + r.checks() + " hub rows " + r.hubRows() + ", faults " + r.faultsInjected());
        assertThat(r.unexpectedErrors()).as(why + " unexpected errors").isEmpty();
        assertThat(r.settleRounds()).as(why + " quiescence rounds").isPositive();
        assertThat(r.differences())
                .as(why + " devices differ from what their subjects may read")
                .isEmpty();
        assertThat(r.lostWrites()).as(why + " write rules or rejected writes").isEmpty();
    }
}
