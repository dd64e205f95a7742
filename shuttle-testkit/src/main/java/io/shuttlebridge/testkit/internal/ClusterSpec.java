package io.shuttlebridge.testkit.internal;

import io.shuttlebridge.core.capture.CaptureOptions;
import io.shuttlebridge.core.sync.ConflictResolver;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.testkit.TestSchema;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a {@link Cluster} is made of: SQLite files in {@code dir} for {@code devices} devices, the
 * schema created on every replica, how capture is enabled (policies), the resolvers of CUSTOM
 * tables, a listener of every apply on every node (a crash is injected by throwing from it), and
 * where the hub lives.
 */
public record ClusterSpec(
        Path dir,
        int devices,
        TestSchema schema,
        CaptureOptions capture,
        Map<String, ConflictResolver> resolvers,
        SyncEngine.ApplyListener listener,
        HubSite site) {
    public ClusterSpec {
        resolvers = Map.copyOf(resolvers);
    }
}
