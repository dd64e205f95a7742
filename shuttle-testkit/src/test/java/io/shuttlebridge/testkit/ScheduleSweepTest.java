package io.shuttlebridge.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.ProgressListener;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Randomized fault schedules over three schemas and every policy: the built-in customers and
 * orders, a schema of text, composite and self-referencing keys under a two-table foreign-key
 * chain ({@code schemas/mixed-keys.sql}), and Chinook ({@code schemas/chinook.sql}). Schedule
 * {@code i} has seed {@code i}, schema {@code i % 3} and policy {@code (i / 3) % 5}, so the first
 * 15 cover every pair; each runs 40 random writes on three devices with every fault (duplicated
 * pushes, lost acknowledgements, crashes mid-apply, partial and reordered syncs), then checks that
 * the replicas converged and no acknowledged write was lost per the policy's oracle.
 *
 * <p>The suite runs 15; the sweep runs more: {@code -Dshuttle.sweep=2000}. Every schedule's seed,
 * schema and policy are in its name; replay one with {@code -Dshuttle.sweep.seed=N}.
 */
class ScheduleSweepTest {
    private static final int OPS = 40;
    private static final List<String> SCHEMAS = List.of("customers and orders", "mixed-keys.sql", "chinook.sql");

    static Stream<Arguments> schedules() {
        int n = Integer.getInteger("shuttle.sweep", 15);
        Long only = Long.getLong("shuttle.sweep.seed");
        Stream<Long> seeds =
                only != null ? Stream.of(only) : Stream.iterate(0L, i -> i + 1).limit(n);
        ConflictPolicy[] policies = ConflictPolicy.values();
        return seeds.map(seed ->
                Arguments.of(seed, SCHEMAS.get((int) (seed % 3)), policies[(int) ((seed / 3) % policies.length)]));
    }

    @ParameterizedTest(name = "seed {0} {1} {2}")
    @MethodSource("schedules")
    void replicasConvergeAndNoAcknowledgedWriteIsLost(long seed, String schemaName, ConflictPolicy policy)
            throws URISyntaxException {
        SimulationConfig config = SimulationConfig.builder()
                .replicas(3)
                .ops(OPS)
                .schema(schema(schemaName))
                .policy(policy)
                .seed(seed)
                .build();
        SimulationResult r = new Simulation(config, ProgressListener.NONE).run();
        String why = "seed " + seed + " " + schemaName + " " + policy + " (replay: -Dshuttle.sweep.seed=" + seed + ")";
        assertThat(r.unexpectedErrors()).as(why + " unexpected errors").isEmpty();
        assertThat(r.settleRounds()).as(why + " quiescence rounds").isPositive();
        assertThat(r.differences()).as(why + " replicas differ from the hub").isEmpty();
        assertThat(r.lostWrites()).as(why + " writes lost per the policy").isEmpty();
        assertThat(r.passed()).as(why).isTrue();
    }

    private static TestSchema schema(String name) throws URISyntaxException {
        if (!name.endsWith(".sql")) {
            return TestSchema.customersAndOrders(3);
        }
        return TestSchema.fromFile(
                Path.of(ScheduleSweepTest.class.getResource("/schemas/" + name).toURI()));
    }
}
