package io.shuttlebridge.testkit;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.MariaDb;
import io.shuttlebridge.server.HubServer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link PostgresHubConvergenceIT}'s seeded {@link Simulation}s with the hub on MariaDB (a fresh database
 * per schedule on the embedded server, or the server of {@code SHUTTLE_TEST_MARIADB_URL}) behind a real
 * {@link HubServer}, devices pushing and pulling over HTTP on loopback, with the same faults; after
 * quiescence every replica holds exactly the hub's rows and no acknowledged write was lost per the
 * policy's oracle. Fewer schedules than on PostgreSQL by default (the first 6 of the same seeds), to keep
 * the suite's time; more with {@code -Dshuttle.schedules=N}, one with {@code -Dshuttle.seed=N}.
 */
class MariaDbHubConvergenceIT extends HubOverHttpConvergence {
    private static final int SCHEDULES = 6;
    private static String database;

    @BeforeAll
    static void start() {
        database = MariaDb.freshDatabase();
    }

    static Stream<Arguments> schedules() {
        return Schedules.seedsAndPolicies(SCHEDULES);
    }

    @ParameterizedTest(name = "seed {0} {1}")
    @MethodSource("schedules")
    void replicasConvergeOverHttpOnAMariaDbHub(long seed, ConflictPolicy policy) {
        assertConverges(seed, policy, b -> b.mariaDbHub(database));
    }
}
