package io.shuttlebridge.client.internal;

import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.sync.PullResult;
import io.shuttlebridge.core.sync.PushResult;
import io.shuttlebridge.core.sync.Transport;
import java.util.List;

/**
 * Serves the hub's snapshot where the engine asks for a pull, so that a bootstrap is an ordinary
 * pull: each page is applied and the cursor advanced in one transaction, and an interrupted
 * bootstrap resumes from the last page applied. Reports progress as the share of the hub feed read.
 */
public final class SnapshotAsPull implements Transport {
    private final HttpTransport hub;
    private final ProgressListener progress;
    private long rows;

    public SnapshotAsPull(HttpTransport hub, ProgressListener progress) {
        this.hub = hub;
        this.progress = progress;
    }

    public long rows() {
        return rows;
    }

    @Override
    public PullResult pull(String forNode, long since, int limit) {
        HttpTransport.SnapshotPage p = hub.snapshotPage(forNode, since, limit);
        rows += p.page().changes().size();
        long total = Math.max(p.hubSeq(), p.page().next());
        progress.progress("bootstrap", p.page().more() ? Math.min(p.page().next(), total) : total, total);
        return p.page();
    }

    @Override
    public PullResult snapshot(String forNode, long after, int limit) {
        return hub.snapshot(forNode, after, limit);
    }

    @Override
    public PushResult push(String fromNode, List<Change> changes) {
        return hub.push(fromNode, changes);
    }
}
