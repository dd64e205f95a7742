package io.shuttlebridge.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.MariaDb;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.server.HubServer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * {@link PostgresHubConvergenceIT}'s seeded {@link Simulation}s with the hub on MariaDB (a fresh database
 * per schedule on the embedded server, or the server of {@code SHUTTLE_TEST_MARIADB_URL}) behind a real
 * {@link HubServer}, devices pushing and pulling over HTTP on loopback, with the same faults; after
 * quiescence every replica holds exactly the hub's rows and no acknowledged write was lost per the
 * policy's oracle. Fewer schedules than on PostgreSQL by default (the first 6 of the same seeds), to keep
 * the suite's time; more with {@code -Dshuttle.schedules=N}, one with {@code -Dshuttle.seed=N}.
 */
class MariaDbHubConvergenceIT {
    private static final int SCHEDULES = 6;
    private static final int OPS = 48;
    private static final Logger SERVER_LOG = (Logger) LoggerFactory.getLogger(HubServer.class);
    private static String database;
    private static Level serverLevel;

    @BeforeAll
    static void start() {
        database = MariaDb.freshDatabase();
        // every injected crash on the hub is answered with a 500 and logged with its stack trace
        serverLevel = SERVER_LOG.getLevel();
        SERVER_LOG.setLevel(Level.OFF);
    }

    @AfterAll
    static void restoreLogging() {
        SERVER_LOG.setLevel(serverLevel);
    }

    static Stream<Arguments> schedules() {
        return Schedules.seedsAndPolicies(SCHEDULES);
    }

    @ParameterizedTest(name = "seed {0} {1}")
    @MethodSource("schedules")
    void replicasConvergeOverHttpOnAMariaDbHub(long seed, ConflictPolicy policy) {
        int tables = Schedules.tables(seed);
        SimulationConfig config = SimulationConfig.builder()
                .replicas(3)
                .ops(Integer.getInteger("shuttle.ops", OPS))
                .schema(TestSchema.customersAndOrders(tables))
                .policy(policy)
                .seed(seed)
                .mariaDbHub(database)
                .overHttp(true)
                .build();
        SimulationResult r = new Simulation(config, ProgressListener.NONE).run();
        String why = "seed " + seed + " policy " + policy + " (replay: -Dshuttle.seed=" + seed + ")";
        assertThat(r.unexpectedErrors()).as(why + " unexpected errors").isEmpty();
        assertThat(r.settleRounds()).as(why + " quiescence rounds").isPositive();
        assertThat(r.differences()).as(why + " replicas differ from the hub").isEmpty();
        assertThat(r.lostWrites()).as(why + " writes lost per the policy").isEmpty();
        assertThat(r.passed()).as(why).isTrue();
    }
}
