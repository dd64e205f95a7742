package io.shuttlebridge.testkit;

import io.shuttlebridge.core.ConflictPolicy;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The fault schedules the convergence tests run: seeds from 1000 on, each with a policy of its own,
 * {@code -Dshuttle.schedules=N} of them ({@code defaultCount} unless given), or the one seed given by
 * {@code -Dshuttle.seed=N} to replay a failure.
 */
final class Schedules {
    private Schedules() {}

    static Stream<Arguments> seedsAndPolicies(int defaultCount) {
        int n = Integer.getInteger("shuttle.schedules", defaultCount);
        Long only = Long.getLong("shuttle.seed");
        ConflictPolicy[] policies = ConflictPolicy.values();
        return Stream.iterate(0, i -> i + 1).limit(only == null ? n : 1).map(i -> {
            long seed = only != null ? only : 1000L + i;
            return Arguments.of(seed, policies[(int) (seed % policies.length)]);
        });
    }

    /** How many of the customers, orders and order lines tables a seed's schedule writes to. */
    static int tables(long seed) {
        return Boolean.getBoolean("shuttle.customersOnly") ? 1 : 2 + (int) (seed % 2);
    }
}
