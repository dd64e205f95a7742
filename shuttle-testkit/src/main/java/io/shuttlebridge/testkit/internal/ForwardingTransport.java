package io.shuttlebridge.testkit.internal;

import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.sync.KeyDigest;
import io.shuttlebridge.core.sync.PullResult;
import io.shuttlebridge.core.sync.PushResult;
import io.shuttlebridge.core.sync.RowDiff;
import io.shuttlebridge.core.sync.RowSet;
import io.shuttlebridge.core.sync.Standing;
import io.shuttlebridge.core.sync.Transport;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** A transport that hands every call to another (the standing a device shows included); a wrapper overrides what it changes. */
abstract class ForwardingTransport implements Transport {
    protected final Transport inner;

    ForwardingTransport(Transport inner) {
        this.inner = inner;
    }

    @Override
    public String hubNode() {
        return inner.hubNode();
    }

    @Override
    public PushResult push(String fromNode, List<Change> changes) {
        return inner.push(fromNode, changes);
    }

    @Override
    public PullResult pull(String forNode, long since, int limit) {
        return inner.pull(forNode, since, limit);
    }

    @Override
    public PullResult pull(String forNode, long since, int limit, Standing standing) {
        return inner.pull(forNode, since, limit, standing);
    }

    @Override
    public PreparedPush preparePush(String fromNode, List<Change> changes) {
        return inner.preparePush(fromNode, changes);
    }

    @Override
    public PreparedPush preparePush(String fromNode, List<Change> changes, Standing standing) {
        return inner.preparePush(fromNode, changes, standing);
    }

    @Override
    public PullResult snapshot(String forNode, long after, int limit) {
        return inner.snapshot(forNode, after, limit);
    }

    @Override
    public PullResult snapshot(String forNode, long after, int limit, Set<String> tables) {
        return inner.snapshot(forNode, after, limit, tables);
    }

    @Override
    public boolean followSchema(io.shuttlebridge.core.sync.SyncEngine device) {
        return inner.followSchema(device);
    }

    @Override
    public Optional<KeyDigest> rowDigest(String forNode, String table) {
        return inner.rowDigest(forNode, table);
    }

    @Override
    public Optional<RowDiff> rowDiff(String forNode, String table, RowSet have, int limit) {
        return inner.rowDiff(forNode, table, have, limit);
    }

    @Override
    public Optional<PullResult> movedRows(String forNode, String table, long since, long after, int limit) {
        return inner.movedRows(forNode, table, since, after, limit);
    }
}
