package io.shuttlebridge.core.sync;

import io.shuttlebridge.core.change.Change;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Connects a device engine directly to a hub engine in the same JVM (tests, simulate, bundles). */
public final class InProcessTransport implements Transport {
    private final SyncEngine hub;

    public InProcessTransport(SyncEngine hub) {
        this.hub = hub;
    }

    @Override
    public String hubNode() {
        return hub.nodeUuid();
    }

    @Override
    public PushResult push(String fromNode, List<Change> changes) {
        return hub.acceptPush(fromNode, changes);
    }

    @Override
    public PullResult pull(String forNode, long since, int limit) {
        return hub.servePull(forNode, since, limit);
    }

    @Override
    public PullResult pull(String forNode, long since, int limit, Standing standing) {
        return hub.servePull(forNode, since, limit, standing);
    }

    @Override
    public PreparedPush preparePush(String fromNode, List<Change> changes, Standing standing) {
        return () -> hub.acceptPush(fromNode, changes, WriteGuard.NONE, standing);
    }

    @Override
    public PullResult snapshot(String forNode, long after, int limit) {
        return hub.serveSnapshot(forNode, after, limit);
    }

    @Override
    public PullResult snapshot(String forNode, long after, int limit, Set<String> tables) {
        return hub.serveSnapshot(forNode, after, limit, tables);
    }

    @Override
    public Optional<KeyDigest> rowDigest(String forNode, String table) {
        return Optional.of(hub.rowDigest(table));
    }

    @Override
    public Optional<RowDiff> rowDiff(String forNode, String table, RowSet have, int limit) {
        return Optional.of(hub.serveRowDiff(forNode, table, have, limit));
    }
}
