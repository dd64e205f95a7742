package io.shuttlebridge.testkit;

import io.shuttlebridge.core.ConflictPolicy;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link SchemaChangeSchedules} in every build, each printed with its seed: 6 of 40 writes over HTTP (seeds
 * 9000 on), the hub's schema changing during the run among every fault. {@code SchemaChangeConvergenceIT}
 * runs a hundred on request. Replay one with {@code -Dshuttle.seed=N}, more with {@code
 * -Dshuttle.schemaSchedules=N}.
 */
class SchemaChangeConvergenceTest {
    static Stream<Arguments> schedules() {
        return SchemaChangeSchedules.schedules(9000, 6);
    }

    @ParameterizedTest(name = "seed {0} {1}")
    @MethodSource("schedules")
    void replicasConvergeWhileTheSchemaChanges(long seed, ConflictPolicy policy) {
        SchemaChangeSchedules.run(seed, policy, 40);
    }
}
