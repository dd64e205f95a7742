package io.shuttlebridge.testkit;

import io.shuttlebridge.core.ConflictPolicy;
import java.util.stream.Stream;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link RestoreSchedules} of 60 writes (seeds 8000 on): devices restored from older backups of their own,
 * copied device files that take a new identity, hub restores, with every other fault. On request, for a sweep
 * longer than the build's ({@code RestoreConvergenceTest}): {@code -Dshuttle.restoreSchedules=100}; replay one
 * with {@code -Dshuttle.seed=N}, start elsewhere with {@code -Dshuttle.restoreFirstSeed=8300}, choose the faults
 * with {@code -Dshuttle.restoreFaults=dup,restore,copy}.
 */
@EnabledIfSystemProperty(named = "shuttle.restoreSchedules", matches = "\\d+")
class RestoreConvergenceIT {
    static Stream<Arguments> schedules() {
        return RestoreSchedules.schedules(Long.getLong("shuttle.restoreFirstSeed", 8000L), 100);
    }

    @ParameterizedTest(name = "seed {0} {1}")
    @MethodSource("schedules")
    void replicasConvergeThroughRestoresAndCopies(long seed, ConflictPolicy policy) {
        RestoreSchedules.run(seed, policy, 60);
    }
}
