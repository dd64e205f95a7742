package io.shuttlebridge.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.ProgressListener;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded {@link Simulation}s over every policy: random writes on three devices, random partial
 * syncs with duplicated deliveries, lost acknowledgements, crashes mid-apply and reordering; after
 * quiescence every replica holds exactly the hub's rows and no acknowledged write was lost per the
 * policy's oracle. Replay a failure with {@code -Dshuttle.seed=N}; more schedules with
 * {@code -Dshuttle.schedules=N}; more writes per schedule with {@code -Dshuttle.ops=N}; customers only with {@code -Dshuttle.customersOnly=true}.
 */
class ConvergenceTest {

    static Stream<Arguments> schedules() {
        return Schedules.seedsAndPolicies(300);
    }

    @ParameterizedTest(name = "seed {0} {1}")
    @MethodSource("schedules")
    void replicasConvergeAndNoAcknowledgedWriteIsLost(long seed, ConflictPolicy policy) {
        int tables = Schedules.tables(seed);
        SimulationConfig config = SimulationConfig.builder()
                .replicas(3)
                .ops(Integer.getInteger("shuttle.ops", 16))
                .schema(TestSchema.customersAndOrders(tables))
                .policy(policy)
                .seed(seed)
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
