package io.shuttlebridge.testkit;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What to simulate: {@code replicas} devices and a hub, {@code ops} random writes over
 * {@code schema}, one policy for every table (CUSTOM keeps the hub's row), the faults to inject,
 * the seed, optionally a folder that keeps the SQLite files (null: a temporary folder, deleted
 * afterwards), the hub on PostgreSQL (a JDBC URL of a database to make a schema in; null: a
 * SQLite file), whether devices reach the hub over HTTP, and whether the devices' clocks are off
 * the hub's ({@link Builder#skewedClocks}).
 *
 * <pre>{@code
 * SimulationConfig config = SimulationConfig.builder()
 *         .schema(TestSchema.fromFile(Path.of("schema.sql")))
 *         .policy(ConflictPolicy.FIELD_LWW)
 *         .seed(42)
 *         .build();
 * }</pre>
 */
public record SimulationConfig(
        int replicas,
        int ops,
        TestSchema schema,
        ConflictPolicy policy,
        Set<Fault> faults,
        long seed,
        Path keep,
        String postgresHub,
        boolean overHttp,
        boolean skewedClocks,
        boolean schemaChanges) {
    public static final int MAX_REPLICAS = 64;

    /** Settings without schema changes during the run. */
    public SimulationConfig(
            int replicas,
            int ops,
            TestSchema schema,
            ConflictPolicy policy,
            Set<Fault> faults,
            long seed,
            Path keep,
            String postgresHub,
            boolean overHttp,
            boolean skewedClocks) {
        this(replicas, ops, schema, policy, faults, seed, keep, postgresHub, overHttp, skewedClocks, false);
    }

    public SimulationConfig {
        if (replicas < 1 || replicas > MAX_REPLICAS) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT, "replicas must be between 1 and " + MAX_REPLICAS + ", got " + replicas);
        }
        if (ops < 0) {
            throw new ShuttleException(ErrorCode.INVALID_ARGUMENT, "ops must not be negative, got " + ops);
        }
        if (schema == null) {
            throw new ShuttleException(ErrorCode.INVALID_ARGUMENT, "a schema is required");
        }
        if (policy == null) {
            throw new ShuttleException(ErrorCode.INVALID_ARGUMENT, "a conflict policy is required");
        }
        faults = faults.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(faults));
        if (schemaChanges && !overHttp) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT,
                    "schema changes during the run need devices that reach the hub over HTTP (a device follows its"
                            + " hub's schema through GET /v1/schema): set overHttp");
        }
        if (postgresHub != null && faults.contains(Fault.HUB_RESTORE)) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT,
                    "the hub-restore fault restores a SQLite hub from its backup file: a PostgreSQL hub is restored"
                            + " with pg_restore, which the simulation does not run; leave hub-restore out");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean has(Fault f) {
        return faults.contains(f);
    }

    /**
     * Settings with defaults: 3 replicas, 200 writes on customers and orders, LWW, every fault of a sync
     * (the restore faults on request), seed 0.
     */
    public static final class Builder {
        private int replicas = 3;
        private int ops = 200;
        private TestSchema schema;
        private ConflictPolicy policy = ConflictPolicy.LWW;
        private Set<Fault> faults;
        private long seed;
        private Path keep;
        private String postgresHub;
        private boolean overHttp;
        private boolean skewedClocks;
        private boolean schemaChanges;

        private Builder() {}

        public Builder replicas(int n) {
            replicas = n;
            return this;
        }

        public Builder ops(int n) {
            ops = n;
            return this;
        }

        public Builder schema(TestSchema s) {
            schema = Objects.requireNonNull(s, "schema");
            return this;
        }

        public Builder policy(ConflictPolicy p) {
            policy = Objects.requireNonNull(p, "policy");
            return this;
        }

        public Builder faults(Set<Fault> f) {
            faults = Set.copyOf(f);
            return this;
        }

        public Builder seed(long s) {
            seed = s;
            return this;
        }

        /** Keeps {@code hub.db} and {@code deviceN.db} in {@code folder}, which must not hold them yet. */
        public Builder keep(Path folder) {
            keep = folder;
            return this;
        }

        /** The hub on PostgreSQL: a new schema in the database at {@code jdbcUrl}, dropped afterwards. */
        public Builder postgresHub(String jdbcUrl) {
            postgresHub = jdbcUrl;
            return this;
        }

        /**
         * The hub on MariaDB: a new database on the server at {@code jdbcUrl} ({@code jdbc:mariadb://}, whose
         * user may create databases), dropped afterwards. Kept in {@link SimulationConfig#postgresHub()}, the hub server's URL.
         */
        public Builder mariaDbHub(String jdbcUrl) {
            postgresHub = jdbcUrl;
            return this;
        }

        /** Devices reach the hub over HTTP (a hub server on loopback) instead of in-process. */
        public Builder overHttp(boolean on) {
            overHttp = on;
            return this;
        }

        /**
         * Each device's clock is off the hub's in a way of its own, drawn from the seed: ahead by more
         * than the hub's skew bound (up to ten years), ahead within it, behind, or jumping between such
         * offsets during the run (the first three devices: one ahead beyond the bound, one behind, one
         * jumping). The hub re-stamps what is pushed beyond its bound, and the LWW oracle compares stamps
         * as the hub recorded them.
         */
        public Builder skewedClocks(boolean on) {
            skewedClocks = on;
            return this;
        }

        /**
         * The hub's schema changes during the run, at points drawn from the seed (over HTTP only): its first
         * table gains a nullable column and a defaulted one, a new table referring to it appears, and a device
         * adds a column itself before the hub has it (its writes of it are refused as {@code SCHEMA_MISMATCH}
         * until the hub gains the column too, then retried). Devices follow on their next sync.
         */
        public Builder schemaChanges(boolean on) {
            schemaChanges = on;
            return this;
        }

        /**
         * The faults of a sync: duplicated pushes, lost acknowledgements, crashes, partial syncs. The restore
         * faults ({@link Fault#RESTORE}, {@link Fault#COPY}, {@link Fault#HUB_RESTORE}) are given on purpose:
         * they take backups and replace files, and a hub on PostgreSQL is not restored by the simulation.
         */
        private Set<Fault> defaultFaults() {
            return EnumSet.of(Fault.DUP, Fault.LOST_ACK, Fault.CRASH, Fault.REORDER);
        }

        public SimulationConfig build() {
            return new SimulationConfig(
                    replicas,
                    ops,
                    schema == null ? TestSchema.customersAndOrders(2) : schema,
                    policy,
                    faults != null ? faults : defaultFaults(),
                    seed,
                    keep,
                    postgresHub,
                    overHttp,
                    skewedClocks,
                    schemaChanges);
        }
    }
}
