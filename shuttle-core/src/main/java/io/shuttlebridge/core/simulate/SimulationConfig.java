package io.shuttlebridge.core.simulate;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/**
 * What to simulate: {@code replicas} devices and a hub, {@code ops} random writes on {@code tables}
 * tables (1 customers, 2 + orders, 3 + order lines), one policy for every table, the faults to
 * inject, the seed, and optionally a folder that keeps the SQLite files (null: a temp folder,
 * deleted afterwards).
 */
public record SimulationConfig(
        int replicas, int ops, int tables, ConflictPolicy policy, Set<Fault> faults, long seed, Path keep) {
    public static final int MAX_REPLICAS = 64;

    public SimulationConfig {
        if (replicas < 1 || replicas > MAX_REPLICAS) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT, "replicas must be between 1 and " + MAX_REPLICAS + ", got " + replicas);
        }
        if (ops < 0) {
            throw new ShuttleException(ErrorCode.INVALID_ARGUMENT, "ops must not be negative, got " + ops);
        }
        if (tables < 1 || tables > 3) {
            throw new ShuttleException(ErrorCode.INVALID_ARGUMENT, "tables must be 1, 2 or 3, got " + tables);
        }
        if (policy == null) {
            throw new ShuttleException(ErrorCode.INVALID_ARGUMENT, "a conflict policy is required");
        }
        faults = faults.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(faults));
    }

    public boolean has(Fault f) {
        return faults.contains(f);
    }
}
