package io.shuttlebridge.testkit;

import io.shuttlebridge.core.ConflictPolicy;
import java.util.stream.Stream;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link SchemaChangeSchedules} of 60 writes (seeds 9100 on), on request, for a sweep longer than the
 * build's ({@code SchemaChangeConvergenceTest}): {@code -Dshuttle.schemaSchedules=100}; replay one with
 * {@code -Dshuttle.seed=N}, choose the faults with {@code -Dshuttle.schemaFaults=dup,restore,copy}.
 */
@EnabledIfSystemProperty(named = "shuttle.schemaSchedules", matches = "\\d+")
class SchemaChangeConvergenceIT {
    static Stream<Arguments> schedules() {
        return SchemaChangeSchedules.schedules(9100, 100);
    }

    @ParameterizedTest(name = "seed {0} {1}")
    @MethodSource("schedules")
    void replicasConvergeWhileTheSchemaChanges(long seed, ConflictPolicy policy) {
        SchemaChangeSchedules.run(seed, policy, 60);
    }
}
