package io.shuttlebridge.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.Postgres;
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
 * The seeded {@link Simulation}s of the engine's convergence test with the hub on PostgreSQL (a
 * fresh schema per schedule) behind a real {@link HubServer}, devices pushing and pulling over
 * HTTP on loopback: random writes on three SQLite devices, random partial syncs with duplicated
 * pushes, lost acknowledgements (dropped after the hub answered), crashes mid-apply on the hub
 * (a 500) and on devices, and reordering; after quiescence every replica holds exactly the hub's
 * rows and no acknowledged write was lost per the policy's oracle.
 *
 * <p>Seeds and their policies match the in-process test's, so a seed can be compared on both.
 * Replay a failure with {@code -Dshuttle.seed=N}; more schedules with {@code -Dshuttle.schedules=N}
 * (default 30); more writes per schedule with {@code -Dshuttle.ops=N} (default 48); customers only with {@code -Dshuttle.customersOnly=true}.
 */
class PostgresHubConvergenceIT {
    private static final int SCHEDULES = 30;
    private static final int OPS = 48;
    private static final Logger SERVER_LOG = (Logger) LoggerFactory.getLogger(HubServer.class);
    private static String database;
    private static Level serverLevel;

    @BeforeAll
    static void start() {
        database = Postgres.freshDatabase();
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
    void replicasConvergeOverHttpOnAPostgresHub(long seed, ConflictPolicy policy) {
        int tables = Schedules.tables(seed);
        SimulationConfig config = SimulationConfig.builder()
                .replicas(3)
                .ops(Integer.getInteger("shuttle.ops", OPS))
                .schema(TestSchema.customersAndOrders(tables))
                .policy(policy)
                .seed(seed)
                .postgresHub(database)
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
