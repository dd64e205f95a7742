package io.shuttlebridge.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.ProgressListener;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Fault schedules over HTTP during which the hub's schema changes ({@link SimulationConfig.Builder#schemaChanges}):
 * customers gain a nullable and a defaulted column, a table referring to customers appears, a device adds a
 * column itself before the hub does; with every fault, device restores, copies and hub restores among them.
 * Seed {@code first + i} has policy {@code i % 5}. The oracle: the simulation's (convergence, no acknowledged
 * write lost), and every device has the new columns and tables after its last sync, no write still refused
 * for want of a column, and no sync of a device that lacked a column blanked the hub's value of it.
 */
final class SchemaChangeSchedules {
    private SchemaChangeSchedules() {}

    static Stream<Arguments> schedules(long first, int defaultCount) {
        String seeds = System.getProperty("shuttle.seeds");
        if (seeds != null) { // a list to replay: -Dshuttle.seeds=9103,9110
            return java.util.Arrays.stream(seeds.split(","))
                    .map(String::trim)
                    .map(Long::parseLong)
                    .map(seed -> Arguments.of(seed, policyOf(seed)));
        }
        int n = Integer.getInteger("shuttle.schemaSchedules", defaultCount);
        Long only = Long.getLong("shuttle.seed");
        return Stream.iterate(0, i -> i + 1).limit(only == null ? n : 1).map(i -> {
            long seed = only != null ? only : first + i;
            return Arguments.of(seed, policyOf(seed));
        });
    }

    static ConflictPolicy policyOf(long seed) {
        ConflictPolicy[] policies = ConflictPolicy.values();
        return policies[(int) (seed % policies.length)];
    }

    static SimulationResult run(long seed, ConflictPolicy policy, int ops) {
        return run(
                seed,
                policy,
                Integer.getInteger("shuttle.ops", ops),
                Fault.parseList(System.getProperty("shuttle.schemaFaults", Fault.labels(EnumSet.allOf(Fault.class)))));
    }

    static SimulationResult run(long seed, ConflictPolicy policy, int ops, Set<Fault> faults) {
        SimulationConfig config = SimulationConfig.builder()
                .replicas(3)
                .ops(ops)
                .schema(TestSchema.customersAndOrders(2 + (int) (seed % 2)))
                .policy(policy)
                .faults(faults)
                .overHttp(true)
                .schemaChanges(Boolean.parseBoolean(System.getProperty("shuttle.schemaChanges", "true")))
                .seed(seed)
                .build();
        SimulationResult r = new Simulation(config, ProgressListener.NONE).run();
        System.out.println("schema-change schedule seed " + seed + " " + policy + " " + ops + " writes, faults "
                + Fault.labels(faults) + " (replay: -Dshuttle.seed=" + seed + "): "
                + (r.passed() ? "passed" : "FAILED") + ", injected " + r.faultsInjected() + " in " + r.elapsedMillis()
                + " ms; "
                + r.checks().stream()
                        .filter(c -> c.startsWith("schema changes:"))
                        .findFirst()
                        .orElse("no schema change"));
        String why = "seed " + seed + " " + policy + " (replay: -Dshuttle.seed=" + seed + ")";
        assertThat(r.unexpectedErrors()).as(why + " unexpected errors").isEmpty();
        assertThat(r.settleRounds()).as(why + " quiescence rounds").isPositive();
        assertThat(r.differences()).as(why + " replicas differ from the hub").isEmpty();
        assertThat(r.lostWrites()).as(why + " writes lost per the policy").isEmpty();
        return r;
    }
}
