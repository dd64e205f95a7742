package io.shuttlebridge.testkit;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.capture.CaptureOptions;
import io.shuttlebridge.core.sync.ConflictResolver;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.core.sync.Transport;
import io.shuttlebridge.testkit.internal.Cluster;
import io.shuttlebridge.testkit.internal.ClusterSpec;
import io.shuttlebridge.testkit.internal.Folders;
import io.shuttlebridge.testkit.internal.HubSite;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A hub and devices over an application's own schema, in one process, started and torn down by
 * one object: devices are SQLite files, the hub a SQLite file too or a new schema in a PostgreSQL
 * database, reached in-process or over real HTTP (a hub server on a free loopback port and the
 * client's HTTP transport).
 *
 * <pre>{@code
 * try (ShuttleTestCluster cluster = ShuttleTestCluster.builder()
 *         .schema("CREATE TABLE note (id TEXT PRIMARY KEY, body TEXT)")
 *         .devices(2)
 *         .start()) {
 *     cluster.device(0).execute("INSERT INTO note VALUES ('n1', 'written offline')");
 *     cluster.syncAll();
 *     cluster.assertConverged();
 * }
 * }</pre>
 */
public final class ShuttleTestCluster implements AutoCloseable {
    private final Cluster cluster;
    private final Path dir;
    private final boolean deleteDir;

    private ShuttleTestCluster(Cluster cluster, Path dir, boolean deleteDir) {
        this.cluster = cluster;
        this.dir = dir;
        this.deleteDir = deleteDir;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Replica hub() {
        return cluster.hub();
    }

    public Device device(int index) {
        if (index < 0 || index >= cluster.devices().size()) {
            throw new IndexOutOfBoundsException("device " + index + " does not exist: the cluster has "
                    + cluster.devices().size() + " device(s)");
        }
        return cluster.device(index);
    }

    public List<Device> devices() {
        return List.copyOf(cluster.devices());
    }

    /** The hub, then every device. */
    public List<Replica> replicas() {
        return List.copyOf(cluster.all());
    }

    /** The tables the schema made, parents first. */
    public List<String> tables() {
        return cluster.tables();
    }

    /** How devices reach the hub: an in-process transport, or the HTTP client of a hub server on loopback. */
    public Transport transport() {
        return cluster.transport();
    }

    /** Where the SQLite files are. */
    public Path directory() {
        return dir;
    }

    /**
     * Syncs every device in turn, round after round, until a whole round changes nothing; returns
     * the rounds it took. Fails when syncs still change rows after {@code 10 + 2 × devices} rounds.
     */
    public int syncAll() {
        int max = 10 + 2 * cluster.devices().size();
        int rounds = cluster.settle(max);
        if (rounds < 0) {
            throw new AssertionError("replicas did not settle: syncs still changed rows after " + max + " rounds");
        }
        return rounds;
    }

    /** Compares every device with the hub (see {@link Convergence}). */
    public Convergence.Result checkConvergence() {
        return Convergence.check(replicas());
    }

    /** Fails with an {@link AssertionError} listing the differences unless every replica converged. */
    public void assertConverged() {
        Convergence.orFail(checkConvergence());
    }

    /** Stops the hub server, closes every database, drops a PostgreSQL hub's schema, deletes a temporary folder. */
    @Override
    public void close() {
        try {
            cluster.close();
        } finally {
            if (deleteDir) {
                Folders.deleteTree(dir);
            }
        }
    }

    /** Validated settings; {@link #start} builds the cluster. */
    public static final class Builder {
        private TestSchema schema;
        private int devices = 2;
        private ConflictPolicy policy;
        private final Map<String, ConflictPolicy> tablePolicies = new LinkedHashMap<>();
        private final List<String> excluded = new ArrayList<>();
        private ConflictResolver resolver;
        private final Map<String, ConflictResolver> tableResolvers = new HashMap<>();
        private String postgresUrl;
        private boolean http;
        private Path dir;

        private Builder() {}

        public Builder schema(TestSchema s) {
            if (schema != null) {
                throw new ShuttleException(ErrorCode.INVALID_ARGUMENT, "the schema was already set to " + schema);
            }
            schema = Objects.requireNonNull(s, "schema");
            return this;
        }

        /** DDL statements for SQLite; each argument may hold several, separated by semicolons. */
        public Builder schema(String... ddl) {
            return schema(TestSchema.of(ddl));
        }

        /** A {@code .sql} file of DDL statements for SQLite. */
        public Builder schema(Path sqlFile) {
            return schema(TestSchema.fromFile(sqlFile));
        }

        /** Devices besides the hub (default 2). */
        public Builder devices(int n) {
            if (n < 1 || n > SimulationConfig.MAX_REPLICAS) {
                throw new ShuttleException(
                        ErrorCode.INVALID_ARGUMENT,
                        "devices must be between 1 and " + SimulationConfig.MAX_REPLICAS + ", got " + n);
            }
            devices = n;
            return this;
        }

        /** The conflict policy of every table without one of its own (default LWW). */
        public Builder policy(ConflictPolicy p) {
            if (policy != null) {
                throw new ShuttleException(ErrorCode.INVALID_ARGUMENT, "the policy was already set to " + policy);
            }
            policy = Objects.requireNonNull(p, "policy");
            return this;
        }

        public Builder policy(String table, ConflictPolicy p) {
            tablePolicies.put(table, Objects.requireNonNull(p, "policy"));
            return this;
        }

        /** The resolver of every CUSTOM table without one of its own. */
        public Builder resolver(ConflictResolver r) {
            resolver = Objects.requireNonNull(r, "resolver");
            return this;
        }

        public Builder resolver(String table, ConflictResolver r) {
            tableResolvers.put(table, Objects.requireNonNull(r, "resolver"));
            return this;
        }

        /** Leaves {@code table.column} out of replication (an auto-maintained timestamp, say). */
        public Builder excludeColumn(String tableDotColumn) {
            excluded.add(tableDotColumn);
            return this;
        }

        /**
         * The hub on PostgreSQL: a new schema in the database at {@code jdbcUrl}, made when the
         * cluster starts and dropped when it closes. The schema's statements run there as they are
         * unless {@link TestSchema#onPostgres} gives others.
         */
        public Builder postgresHub(String jdbcUrl) {
            postgresUrl = Objects.requireNonNull(jdbcUrl, "jdbcUrl");
            return this;
        }

        /** Devices reach the hub over HTTP: a hub server on a free loopback port, and the client's HTTP transport. */
        public Builder overHttp() {
            http = true;
            return this;
        }

        /** Keeps the SQLite files in {@code folder} (which must not hold them yet) instead of a deleted temporary folder. */
        public Builder directory(Path folder) {
            dir = Objects.requireNonNull(folder, "folder");
            return this;
        }

        public ShuttleTestCluster start() {
            if (schema == null) {
                throw new ShuttleException(
                        ErrorCode.INVALID_ARGUMENT,
                        "a schema is required: schema(\"CREATE TABLE ...\") or schema(path)");
            }
            for (String table : union(tablePolicies.keySet(), tableResolvers.keySet())) {
                if (!schema.tables().contains(table)) {
                    throw new ShuttleException(
                            ErrorCode.INVALID_ARGUMENT,
                            "table \"" + table + "\" is not in the schema (tables: "
                                    + String.join(", ", schema.tables()) + ")");
                }
            }
            CaptureOptions.Builder capture =
                    CaptureOptions.builder().policy(policy == null ? ConflictPolicy.LWW : policy);
            tablePolicies.forEach(capture::policy);
            excluded.forEach(capture::excludeColumn);
            Map<String, ConflictResolver> resolvers = new HashMap<>();
            for (String table : schema.tables()) {
                ConflictPolicy p = tablePolicies.getOrDefault(table, policy == null ? ConflictPolicy.LWW : policy);
                ConflictResolver r = tableResolvers.getOrDefault(table, resolver);
                if (p == ConflictPolicy.CUSTOM && r == null) {
                    throw new ShuttleException(
                            ErrorCode.INVALID_ARGUMENT,
                            "table \"" + table
                                    + "\" has the CUSTOM policy but no resolver: give one with resolver(...)");
                }
                if (p == ConflictPolicy.CUSTOM) {
                    resolvers.put(table, r);
                }
            }
            Path folder = Folders.prepare(dir, devices);
            HubSite site = new HubSite(postgresUrl, http);
            try {
                Cluster c = new Cluster(new ClusterSpec(
                        folder, devices, schema, capture.build(), resolvers, SyncEngine.ApplyListener.NONE, site));
                return new ShuttleTestCluster(c, folder, dir == null);
            } catch (RuntimeException | Error e) {
                if (dir == null) {
                    Folders.deleteTree(folder);
                }
                throw e;
            }
        }

        private static Set<String> union(Set<String> a, Set<String> b) {
            Set<String> out = new TreeSet<>(a);
            out.addAll(b);
            return out;
        }
    }
}
