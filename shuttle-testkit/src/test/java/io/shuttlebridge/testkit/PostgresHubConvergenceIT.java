package io.shuttlebridge.testkit;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.Postgres;
import io.shuttlebridge.server.HubServer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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
class PostgresHubConvergenceIT extends HubOverHttpConvergence {
    private static final int SCHEDULES = 30;
    private static String database;

    @BeforeAll
    static void start() {
        database = Postgres.freshDatabase();
    }

    static Stream<Arguments> schedules() {
        return Schedules.seedsAndPolicies(SCHEDULES);
    }

    @ParameterizedTest(name = "seed {0} {1}")
    @MethodSource("schedules")
    void replicasConvergeOverHttpOnAPostgresHub(long seed, ConflictPolicy policy) {
        assertConverges(seed, policy, b -> b.postgresHub(database));
    }
}
