package io.shuttlebridge.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.server.HubServer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * What the convergence tests with the hub on a server database ({@link PostgresHubConvergenceIT}, {@link
 * MariaDbHubConvergenceIT}) share: one seeded {@link Simulation} of three devices over HTTP on loopback with
 * its faults, and the checks after quiescence. Which database the hub is on, and how many schedules run,
 * is each test's.
 */
abstract class HubOverHttpConvergence {
    private static final int OPS = 48;
    private static final Logger SERVER_LOG = Logs.logback(HubServer.class);
    private static Level serverLevel;

    @BeforeAll
    static void quietServerLog() {
        // every injected crash on the hub is answered with a 500 and logged with its stack trace
        serverLevel = SERVER_LOG.getLevel();
        SERVER_LOG.setLevel(Level.OFF);
    }

    @AfterAll
    static void restoreLogging() {
        SERVER_LOG.setLevel(serverLevel);
    }

    /**
     * Runs the schedule of {@code seed} under {@code policy} with the hub {@code hub} sets on the config
     * builder; every replica holds exactly the hub's rows and no acknowledged write was lost per the policy.
     */
    static void assertConverges(long seed, ConflictPolicy policy, UnaryOperator<SimulationConfig.Builder> hub) {
        int tables = Schedules.tables(seed);
        SimulationConfig config = hub.apply(SimulationConfig.builder()
                        .replicas(3)
                        .ops(Integer.getInteger("shuttle.ops", OPS))
                        .schema(TestSchema.customersAndOrders(tables))
                        .policy(policy)
                        .seed(seed))
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
