package io.shuttlebridge.testkit;

import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.testkit.internal.ConvergenceCheck;
import java.util.ArrayList;
import java.util.List;

/**
 * The convergence checker: replicas have converged when every one holds the hub's rows in every
 * synced table (compared by value, column by column, the replicated columns only), no device holds
 * a change it has not pushed to the hub, and no replica holds received changes waiting for a
 * parent row. Works on any databases with sync enabled, in a {@link ShuttleTestCluster} or not.
 *
 * <pre>{@code
 * Convergence.assertConverged(hubDb, deviceDb1, deviceDb2);   // AssertionError listing the differences
 * }</pre>
 */
public final class Convergence {
    /** Differences a report lists before it says how many more there are. */
    static final int SHOWN = 20;

    private Convergence() {}

    /**
     * What a check found.
     *
     * @param tables synced tables compared
     * @param rows rows the hub holds in them
     * @param differences one line per difference: table, key and columns with both values, or a
     *     replica's unpushed or waiting changes
     */
    public record Result(int tables, long rows, List<String> differences) {
        public Result {
            differences = List.copyOf(differences);
        }

        public boolean converged() {
            return differences.isEmpty();
        }

        /** A readable report: what was compared, then the first differences. */
        public String report() {
            StringBuilder out = new StringBuilder();
            if (converged()) {
                return out.append("converged: ")
                        .append(tables)
                        .append(" table(s), ")
                        .append(rows)
                        .append(" row(s) on every replica")
                        .toString();
            }
            out.append("replicas have not converged: ")
                    .append(differences.size())
                    .append(" difference(s) over ")
                    .append(tables)
                    .append(" table(s)");
            differences.stream().limit(SHOWN).forEach(d -> out.append("\n  ").append(d));
            if (differences.size() > SHOWN) {
                out.append("\n  ... and ").append(differences.size() - SHOWN).append(" more");
            }
            return out.toString();
        }
    }

    /** Compares the devices with the hub (named {@code hub}, {@code device0}, {@code device1}, ... in the result). */
    public static Result check(ShuttleDatabase hub, ShuttleDatabase... devices) {
        List<ConvergenceCheck.Named> named = new ArrayList<>();
        named.add(new ConvergenceCheck.Named("hub", hub));
        for (int i = 0; i < devices.length; i++) {
            named.add(new ConvergenceCheck.Named("device" + i, devices[i]));
        }
        return run(named);
    }

    /** Compares replicas with the first one, the hub. */
    public static Result check(List<? extends Replica> replicas) {
        return run(replicas.stream()
                .map(r -> new ConvergenceCheck.Named(r.name(), r.database()))
                .toList());
    }

    /** Fails with an {@link AssertionError} whose message is the {@link Result#report() report} unless the devices converged with the hub. */
    public static void assertConverged(ShuttleDatabase hub, ShuttleDatabase... devices) {
        orFail(check(hub, devices));
    }

    static Result orFail(Result r) {
        if (!r.converged()) {
            throw new AssertionError(r.report());
        }
        return r;
    }

    private static Result run(List<ConvergenceCheck.Named> named) {
        return ConvergenceCheck.run(named);
    }
}
