package io.shuttlebridge.testkit.internal;

import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.CaptureOptions;
import io.shuttlebridge.core.id.MillisClock;
import io.shuttlebridge.core.sync.ConflictResolver;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.testkit.TestSchema;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * What a {@link Cluster} is made of: SQLite files in {@code dir} for {@code devices} devices, the
 * schema created on every replica, how capture is enabled (policies), the resolvers of CUSTOM
 * tables, a listener of every apply on every node (a crash is injected by throwing from it), where
 * the hub lives, where each node reads the time (the clock its engine reads, and how every connection
 * to its database is prepared: SQLite's 'now', in a simulation), and the identity each new node takes,
 * in the order the nodes are made: the hub, then the devices (null: a random one), and any further
 * setting of every node's engines ({@code engines}, applied last).
 */
public record ClusterSpec(
        Path dir,
        int devices,
        TestSchema schema,
        CaptureOptions capture,
        Map<String, ConflictResolver> resolvers,
        SyncEngine.ApplyListener listener,
        HubSite site,
        NodeTime time,
        Supplier<UUID> nodeIds,
        UnaryOperator<SyncEngine.Builder> engines) {
    public ClusterSpec {
        resolvers = Map.copyOf(resolvers);
    }

    /** The cluster with its engines as the settings above make them. */
    public ClusterSpec(
            Path dir,
            int devices,
            TestSchema schema,
            CaptureOptions capture,
            Map<String, ConflictResolver> resolvers,
            SyncEngine.ApplyListener listener,
            HubSite site,
            NodeTime time,
            Supplier<UUID> nodeIds) {
        this(dir, devices, schema, capture, resolvers, listener, site, time, nodeIds, UnaryOperator.identity());
    }

    /** A cluster on the system clock, with connections as they come and random node identities. */
    public ClusterSpec(
            Path dir,
            int devices,
            TestSchema schema,
            CaptureOptions capture,
            Map<String, ConflictResolver> resolvers,
            SyncEngine.ApplyListener listener,
            HubSite site) {
        this(
                dir,
                devices,
                schema,
                capture,
                resolvers,
                listener,
                site,
                NodeTime.shared(MillisClock.system(), ShuttleDatabase.ConnectionSetup.NONE),
                () -> null);
    }
}
