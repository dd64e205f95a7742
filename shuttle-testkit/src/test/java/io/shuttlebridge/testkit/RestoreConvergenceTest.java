package io.shuttlebridge.testkit;

import io.shuttlebridge.core.ConflictPolicy;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A few {@link RestoreSchedules} of 40 writes in every build (seeds 7000 on); {@code RestoreConvergenceIT}
 * runs a hundred longer ones. Replay with {@code -Dshuttle.seed=N}, more with {@code
 * -Dshuttle.restoreSchedules=N}.
 */
class RestoreConvergenceTest {
    static Stream<Arguments> schedules() {
        return RestoreSchedules.schedules(7000, 10);
    }

    @ParameterizedTest(name = "seed {0} {1}")
    @MethodSource("schedules")
    void replicasConvergeThroughRestoresAndCopies(long seed, ConflictPolicy policy) {
        RestoreSchedules.run(seed, policy, 40);
    }
}
