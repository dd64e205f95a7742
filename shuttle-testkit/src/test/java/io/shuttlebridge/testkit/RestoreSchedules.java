package io.shuttlebridge.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.ProgressListener;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Fault schedules with restores among the faults: devices restored from older backups of their own,
 * device files copied to a second machine (one of the two then takes a new identity), the hub restored
 * from an older backup, on top of duplicated pushes, lost acknowledgements, crashes and partial syncs.
 * Seed {@code first + i} has policy {@code i % 5} and writes to two or three tables; the oracle is the
 * simulation's: convergence, and every acknowledged write (that still exists somewhere) present.
 */
final class RestoreSchedules {
    private RestoreSchedules() {}

    static Stream<Arguments> schedules(long first, int defaultCount) {
        int n = Integer.getInteger("shuttle.restoreSchedules", defaultCount);
        Long only = Long.getLong("shuttle.seed");
        return Stream.iterate(0, i -> i + 1).limit(only == null ? n : 1).map(i -> {
            long seed = only != null ? only : first + i;
            return Arguments.of(seed, policyOf(seed));
        });
    }

    /** The policy of seed {@code seed}'s schedule. */
    static ConflictPolicy policyOf(long seed) {
        ConflictPolicy[] policies = ConflictPolicy.values();
        return policies[(int) (seed % policies.length)];
    }

    static SimulationResult run(long seed, ConflictPolicy policy, int ops) {
        return run(
                seed,
                policy,
                Integer.getInteger("shuttle.ops", ops),
                Fault.parseList(System.getProperty("shuttle.restoreFaults", Fault.labels(EnumSet.allOf(Fault.class)))));
    }

    static SimulationResult run(long seed, ConflictPolicy policy, int ops, Set<Fault> faults) {
        SimulationConfig config = SimulationConfig.builder()
                .replicas(3)
                .ops(ops)
                .schema(TestSchema.customersAndOrders(2 + (int) (seed % 2)))
                .policy(policy)
                .faults(faults)
                .seed(seed)
                .build();
        SimulationResult r = new Simulation(config, ProgressListener.NONE).run();
        System.out.println("restore schedule seed " + seed + " " + policy + " " + ops + " writes, faults "
                + Fault.labels(faults) + " (replay: -Dshuttle.seed=" + seed + "): "
                + (r.passed() ? "passed" : "FAILED") + ", injected " + r.faultsInjected() + "; "
                + r.checks().stream()
                        .filter(c -> c.startsWith("restores:"))
                        .findFirst()
                        .orElse("no restore"));
        String why = "seed " + seed + " " + policy + " (replay: -Dshuttle.seed=" + seed + ")";
        assertThat(r.unexpectedErrors()).as(why + " unexpected errors").isEmpty();
        assertThat(r.settleRounds()).as(why + " quiescence rounds").isPositive();
        assertThat(r.differences()).as(why + " replicas differ from the hub").isEmpty();
        assertThat(r.lostWrites()).as(why + " writes lost per the policy").isEmpty();
        return r;
    }
}
