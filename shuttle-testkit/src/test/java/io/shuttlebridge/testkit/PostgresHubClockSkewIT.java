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

/**
 * The schedules of {@link ClockSkewConvergenceTest} (each device's clock off the hub's: ahead beyond the
 * skew bound, behind, jumping) with the hub on PostgreSQL behind a real {@link HubServer}, devices over
 * HTTP: the re-stamps are remembered in PostgreSQL, every answer carries the hub's time. Every replica
 * converges; under LWW each row holds its newest write as the hub stamped it. Replay with
 * {@code -Dshuttle.seed=N}; more schedules with {@code -Dshuttle.clockSchedules=N} (default 8).
 */
class PostgresHubClockSkewIT {
    private static final ConflictPolicy[] POLICIES = {
        ConflictPolicy.LWW, ConflictPolicy.FIELD_LWW, ConflictPolicy.LWW, ConflictPolicy.VERSION_STRICT
    };
    private static final Logger SERVER_LOG = Logs.logback(HubServer.class);
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
        int n = Integer.getInteger("shuttle.clockSchedules", 8);
        Long only = Long.getLong("shuttle.seed");
        return Stream.iterate(0, i -> i + 1).limit(only == null ? n : 1).map(i -> {
            long seed = only != null ? only : 5000L + i;
            return Arguments.of(seed, POLICIES[(int) (seed % POLICIES.length)]);
        });
    }

    @ParameterizedTest(name = "seed {0} {1}")
    @MethodSource("schedules")
    void replicasConvergeOverHttpOnAPostgresHubWithSkewedClocks(long seed, ConflictPolicy policy) {
        SimulationConfig config = SimulationConfig.builder()
                .replicas(3)
                .ops(Integer.getInteger("shuttle.ops", 40))
                .schema(TestSchema.customersAndOrders(2 + (int) (seed % 2)))
                .policy(policy)
                .skewedClocks(true)
                .seed(seed)
                .postgresHub(database)
                .overHttp(true)
                .build();
        SimulationResult r = new Simulation(config, ProgressListener.NONE).run();
        String why = "seed " + seed + " policy " + policy + " (replay: -Dshuttle.seed=" + seed + ")";
        System.out.println("clock skew schedule on PostgreSQL, " + why + ": " + (r.passed() ? "passed" : "FAILED")
                + ", " + r.restampedWrites() + " write(s) re-stamped");
        assertThat(r.unexpectedErrors()).as(why + " unexpected errors").isEmpty();
        assertThat(r.settleRounds()).as(why + " quiescence rounds").isPositive();
        assertThat(r.differences()).as(why + " replicas differ from the hub").isEmpty();
        assertThat(r.lostWrites()).as(why + " writes lost per the policy").isEmpty();
        assertThat(r.passed()).as(why).isTrue();
    }
}
