package io.shuttlebridge.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.ProgressListener;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded {@link Simulation}s with every device's clock off the hub's in a way of its own: ahead by more
 * than the hub's skew bound (up to ten years), behind, jumping between offsets, or ahead within the
 * bound; random writes and faulty syncs (duplicated pushes, lost acknowledgements, crashes, partial
 * syncs) on three devices. Under LWW, after quiescence every replica holds exactly the hub's rows, and
 * every row holds its write with the greatest stamp as the hub recorded it (after re-stamping); under
 * the other policies every replica converges. Each run prints its seed; replay a failure with
 * {@code -Dshuttle.seed=N}; more schedules with {@code -Dshuttle.clockSchedules=N}, more writes per
 * schedule with {@code -Dshuttle.ops=N}.
 */
class ClockSkewConvergenceTest {

    static Stream<Arguments> schedules() {
        int n = Integer.getInteger("shuttle.clockSchedules", 12);
        Long only = Long.getLong("shuttle.seed");
        return Stream.iterate(0, i -> i + 1)
                .limit(only == null ? n : 1)
                .map(i -> Arguments.of(only != null ? only : 5000L + i));
    }

    /** The other policies, one per seed in turn. */
    static Stream<Arguments> otherPolicies() {
        ConflictPolicy[] others = {
            ConflictPolicy.FIELD_LWW, ConflictPolicy.VERSION_STRICT, ConflictPolicy.MANUAL, ConflictPolicy.CUSTOM
        };
        int n = Integer.getInteger("shuttle.clockSchedules", 12) / 3;
        Long only = Long.getLong("shuttle.seed");
        return Stream.iterate(0, i -> i + 1)
                .limit(only == null ? Math.max(n, others.length) : others.length)
                .map(i -> Arguments.of(only != null ? only : 6000L + i, others[i % others.length]));
    }

    private static SimulationResult run(long seed, int ops) {
        return run(seed, ops, ConflictPolicy.LWW);
    }

    private static SimulationResult run(long seed, int ops, ConflictPolicy policy) {
        SimulationConfig config = SimulationConfig.builder()
                .replicas(3)
                .ops(ops)
                .schema(TestSchema.customersAndOrders(2 + (int) (seed % 2)))
                .policy(policy)
                .skewedClocks(true)
                .seed(seed)
                .build();
        SimulationResult r = new Simulation(config, ProgressListener.NONE).run();
        System.out.println(
                "clock skew schedule seed " + seed + " " + policy + " (replay: -Dshuttle.seed=" + seed + "): "
                        + (r.passed() ? "passed" : "FAILED") + ", " + r.restampedWrites() + " write(s) re-stamped; "
                        + r.checks().stream()
                                .filter(c -> c.startsWith("clocks:"))
                                .findFirst()
                                .orElse(""));
        return r;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("schedules")
    void replicasConvergeAndEachRowHoldsItsNewestWriteAsTheHubStampedIt(long seed) {
        SimulationResult r = run(seed, Integer.getInteger("shuttle.ops", 40));
        String why = "seed " + seed + " (replay: -Dshuttle.seed=" + seed + ")";
        assertThat(r.unexpectedErrors()).as(why + " unexpected errors").isEmpty();
        assertThat(r.settleRounds()).as(why + " quiescence rounds").isPositive();
        assertThat(r.differences()).as(why + " replicas differ from the hub").isEmpty();
        assertThat(r.lostWrites())
                .as(why + " rows not holding their newest write as the hub stamped it")
                .isEmpty();
        assertThat(r.passed()).as(why).isTrue();
    }

    @ParameterizedTest(name = "seed {0} {1}")
    @MethodSource("otherPolicies")
    void replicasConvergeUnderTheOtherPolicies(long seed, ConflictPolicy policy) {
        SimulationResult r = run(seed, Integer.getInteger("shuttle.ops", 40), policy);
        String why = "seed " + seed + " " + policy + " (replay: -Dshuttle.seed=" + seed + ")";
        assertThat(r.unexpectedErrors()).as(why + " unexpected errors").isEmpty();
        assertThat(r.settleRounds()).as(why + " quiescence rounds").isPositive();
        assertThat(r.differences()).as(why + " replicas differ from the hub").isEmpty();
        assertThat(r.lostWrites()).as(why + " writes lost").isEmpty();
    }

    /** The schedules do what they are for: a device ahead beyond the bound has its writes re-stamped. */
    @Test
    void writesPushedBeyondTheBoundAreRestamped() {
        SimulationResult r = run(5000L, 60);
        assertThat(r.passed()).isTrue();
        assertThat(r.restampedWrites()).isPositive();
        assertThat(r.checks())
                .anySatisfy(c -> assertThat(c)
                        .startsWith("clocks: ")
                        .contains("ahead beyond bound")
                        .contains("behind")
                        .contains("jumping"));
    }

    /** A schedule with skewed clocks replays from its seed: the same databases, byte for byte. */
    @Test
    void aScheduleReplaysFromItsSeed() {
        assertThat(run(5003L, 40).digest()).isEqualTo(run(5003L, 40).digest());
    }
}
