package io.shuttlebridge.testkit;

import io.shuttlebridge.core.ConflictPolicy;
import java.util.EnumSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link SchemaChangeSchedules} in every build, each printed with its seed: 6 of 40 writes over HTTP (seeds
 * 9000 on), the hub's schema changing during the run among every fault, and the schedules of 60 writes that
 * once failed. {@code SchemaChangeConvergenceIT}
 * runs a hundred on request. Replay one with {@code -Dshuttle.seed=N}, more with {@code
 * -Dshuttle.schemaSchedules=N}.
 */
class SchemaChangeConvergenceTest {
    static Stream<Arguments> schedules() {
        return SchemaChangeSchedules.schedules(9000, 6);
    }

    /** Schedules of 60 writes with every fault that failed once, and what was wrong. */
    static Stream<Arguments> formerFailures() {
        return Stream.of(
                Arguments.of(
                        9150L, "a device kept deletions its hub wrote and lost with a restore, over rows pushed again"),
                Arguments.of(9165L, "a device kept a line's deletion its hub wrote and lost with a restore"),
                Arguments.of(
                        9011L,
                        "the oracle kept a write lost with a restore, for a column its node had written before it"));
    }

    @ParameterizedTest(name = "seed {0} {1}")
    @MethodSource("schedules")
    void replicasConvergeWhileTheSchemaChanges(long seed, ConflictPolicy policy) {
        SchemaChangeSchedules.run(seed, policy, 40);
    }

    @ParameterizedTest(name = "seed {0}: {1}")
    @MethodSource("formerFailures")
    void schedulesThatOnceFailedConverge(long seed, String found) {
        SchemaChangeSchedules.run(seed, SchemaChangeSchedules.policyOf(seed), 60, EnumSet.allOf(Fault.class));
    }
}
