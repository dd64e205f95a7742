package io.shuttlebridge.core.internal.capture;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.internal.MetaKeys;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.schema.ApplyPlan;
import io.shuttlebridge.core.internal.schema.Table;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The sync-enabled tables of one database as registered in {@code _shuttle_tables}, with their
 * discovered shape and apply plan, and the local node's identity. Immutable snapshot.
 */
public final class SyncSchema {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String nodeUuid;
    private final Map<String, SyncedTable> byName;
    private final Map<Integer, SyncedTable> byId;
    private final ApplyPlan plan;
    private final long version;

    private SyncSchema(String nodeUuid, Collection<SyncedTable> tables) {
        this.nodeUuid = nodeUuid;
        Map<String, SyncedTable> names = new LinkedHashMap<>();
        Map<Integer, SyncedTable> ids = new HashMap<>();
        for (SyncedTable t : tables) {
            names.put(t.name(), t);
            ids.put(t.id(), t);
        }
        this.byName = Collections.unmodifiableMap(names); // registration order
        this.byId = Map.copyOf(ids);
        this.plan = ApplyPlan.of(tables.stream().map(SyncedTable::table).toList());
        this.version = SchemaVersion.of(tables);
    }

    /** A schema of these tables (in this order) for node {@code nodeUuid}. */
    public static SyncSchema of(String nodeUuid, Collection<SyncedTable> tables) {
        return new SyncSchema(nodeUuid, tables);
    }

    /**
     * The version of this schema: a fingerprint of every synced table's name, columns (names, declared
     * types, nullability, key positions), foreign keys and sync settings; two schemas that sync alike
     * have the same version. Never 0 (which on the wire means "not said").
     */
    public long version() {
        return version;
    }

    /** Loads the registry; fails with {@link ErrorCode#NOT_INITIALIZED} when sync was never enabled. */
    public static SyncSchema load(Connection c, Dialect dialect) throws SQLException {
        if (!isInitialized(c, dialect)) {
            throw new ShuttleException(
                    ErrorCode.NOT_INITIALIZED,
                    "sync is not enabled on this database: run 'shuttle init --db ...' first");
        }
        String node = MetaKeys.get(c, "node_uuid")
                .orElseThrow(() -> new ShuttleException(
                        ErrorCode.NOT_INITIALIZED, "the database has no node identity: run 'shuttle init' again"));
        List<SyncedTable> tables = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                        "SELECT id, name, policy, scope_column, excluded FROM _shuttle_tables ORDER BY id");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String name = rs.getString("name");
                Table table = dialect.readTable(c, name);
                tables.add(new SyncedTable(
                        rs.getInt("id"),
                        table,
                        ConflictPolicy.parse(rs.getString("policy")),
                        decodeColumns(rs.getString("excluded")),
                        rs.getString("scope_column")));
            }
        }
        return new SyncSchema(node, tables);
    }

    public static boolean isInitialized(Connection c, Dialect dialect) throws SQLException {
        return dialect.hasTable(c, "_shuttle_tables");
    }

    public static String encodeColumns(Set<String> columns) {
        try {
            return JSON.writeValueAsString(new TreeSet<>(columns));
        } catch (JsonProcessingException e) {
            throw new ShuttleException(ErrorCode.INTERNAL, "cannot encode column list", e);
        }
    }

    static Set<String> decodeColumns(String json) {
        if (json == null || json.isBlank()) {
            return Set.of();
        }
        try {
            return Set.copyOf(JSON.readValue(json, new TypeReference<List<String>>() {}));
        } catch (JsonProcessingException e) {
            throw new ShuttleException(
                    ErrorCode.INTERNAL, "corrupt excluded-column list in _shuttle_tables: " + json, e);
        }
    }

    /** The local node's stable identity. */
    public String nodeUuid() {
        return nodeUuid;
    }

    public Collection<SyncedTable> tables() {
        return byName.values();
    }

    public Optional<SyncedTable> table(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The table or a clear error naming it. */
    public SyncedTable require(String name) {
        SyncedTable t = byName.get(name);
        if (t == null) {
            throw new ShuttleException(
                    ErrorCode.NOT_FOUND,
                    "table \"" + name + "\" is not synced here (synced: "
                            + String.join(", ", new TreeSet<>(byName.keySet())) + ")");
        }
        return t;
    }

    public SyncedTable byId(int id) {
        SyncedTable t = byId.get(id);
        if (t == null) {
            throw new ShuttleException(ErrorCode.INTERNAL, "feed refers to unknown table id " + id);
        }
        return t;
    }

    public ApplyPlan plan() {
        return plan;
    }
}
