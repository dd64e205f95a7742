package io.shuttlebridge.core.capture;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * What {@link Capture#enable} should do: which tables (all user tables when none are named),
 * columns to leave out of replication, the conflict policy and scope column per table, and the
 * identity a database that has none yet takes.
 */
public final class CaptureOptions {
    private final Set<String> tables;
    private final Map<String, Set<String>> excludedColumns;
    private final ConflictPolicy policy;
    private final Map<String, ConflictPolicy> tablePolicies;
    private final Map<String, String> scopeColumns;
    private final UUID nodeUuid;

    private CaptureOptions(Builder b) {
        this.tables = Collections.unmodifiableSet(new LinkedHashSet<>(b.tables)); // registered in the order named
        Map<String, Set<String>> ex = new LinkedHashMap<>();
        b.excluded.forEach((t, cs) -> ex.put(t, Set.copyOf(cs)));
        this.excludedColumns = Map.copyOf(ex);
        this.policy = b.policy;
        this.tablePolicies = Map.copyOf(b.tablePolicies);
        this.scopeColumns = Map.copyOf(b.scopeColumns);
        this.nodeUuid = b.nodeUuid;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static CaptureOptions allTables() {
        return builder().build();
    }

    /** A builder holding these options, to add to them (a node identity, say). */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.tables.addAll(tables);
        excludedColumns.forEach((t, cs) -> b.excluded.put(t, new LinkedHashSet<>(cs)));
        b.policy = policy;
        b.tablePolicies.putAll(tablePolicies);
        b.scopeColumns.putAll(scopeColumns);
        b.nodeUuid = nodeUuid;
        return b;
    }

    /** Tables named by the caller, in the order named (the order they are registered in); empty means every user table. */
    public Set<String> tables() {
        return tables;
    }

    public Set<String> excludedColumns(String table) {
        return excludedColumns.getOrDefault(table, Set.of());
    }

    public Map<String, Set<String>> excludedColumns() {
        return excludedColumns;
    }

    /** The policy for a table: its own, else the default given, else null (keep what is registered). */
    public ConflictPolicy policy(String table) {
        return tablePolicies.getOrDefault(table, policy);
    }

    public String scopeColumn(String table) {
        return scopeColumns.get(table);
    }

    /** The node identity to give a database that has none yet; null: a random one. */
    public UUID nodeUuid() {
        return nodeUuid;
    }

    public static final class Builder {
        private final Set<String> tables = new LinkedHashSet<>();
        private final Map<String, Set<String>> excluded = new LinkedHashMap<>();
        private ConflictPolicy policy;
        private final Map<String, ConflictPolicy> tablePolicies = new LinkedHashMap<>();
        private final Map<String, String> scopeColumns = new LinkedHashMap<>();
        private UUID nodeUuid;

        public Builder tables(String... names) {
            return tables(List.of(names));
        }

        public Builder tables(List<String> names) {
            tables.addAll(names);
            return this;
        }

        /** Leaves a column out of replication (changes to it alone are not captured). */
        public Builder excludeColumn(String table, String column) {
            excluded.computeIfAbsent(table, t -> new LinkedHashSet<>()).add(column);
            return this;
        }

        /** Parses {@code table.column}; the last dot separates them, so table names may contain dots. */
        public Builder excludeColumn(String qualified) {
            int dot = qualified.lastIndexOf('.');
            if (dot <= 0 || dot == qualified.length() - 1) {
                throw new ShuttleException(
                        ErrorCode.INVALID_ARGUMENT, "excluded column '" + qualified + "' must be written table.column");
            }
            return excludeColumn(qualified.substring(0, dot), qualified.substring(dot + 1));
        }

        /** The policy for every table enabled by this call. */
        public Builder policy(ConflictPolicy p) {
            if (policy != null) {
                throw new ShuttleException(
                        ErrorCode.INVALID_ARGUMENT, "the default policy was already set to " + policy);
            }
            policy = p;
            return this;
        }

        public Builder policy(String table, ConflictPolicy p) {
            tablePolicies.put(table, p);
            return this;
        }

        public Builder scopeColumn(String table, String column) {
            scopeColumns.put(table, column);
            return this;
        }

        /**
         * The node identity the database takes when sync is enabled on it for the first time (a
         * random one when not given); a database that has one keeps it. For tests and simulations
         * that must repeat exactly: two databases must never share an identity.
         */
        public Builder nodeUuid(UUID id) {
            Objects.requireNonNull(id, "nodeUuid");
            if (nodeUuid != null) {
                throw new ShuttleException(ErrorCode.INVALID_ARGUMENT, "the node uuid was already set to " + nodeUuid);
            }
            nodeUuid = id;
            return this;
        }

        public CaptureOptions build() {
            return new CaptureOptions(this);
        }
    }
}
