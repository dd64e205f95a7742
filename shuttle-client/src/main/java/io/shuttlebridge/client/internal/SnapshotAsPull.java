package io.shuttlebridge.client.internal;

import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.internal.sync.FilteredSnapshot;
import io.shuttlebridge.core.sync.PullResult;
import io.shuttlebridge.core.sync.PushResult;
import io.shuttlebridge.core.sync.Transport;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves the hub's snapshot where the engine asks for a pull, so that a bootstrap is an ordinary
 * pull: each page is applied and the cursor advanced in one transaction, and an interrupted
 * bootstrap resumes from the last page applied. Reports progress as the share of the hub feed read, or
 * as rows received when the hub reads the snapshot from the rows its rules let the device read.
 *
 * <p>While the engine applies a page, the next one is already on its way ({@link FetchAhead}: one page
 * ahead, never more, used only when the engine asks for exactly it, asked for again when its fetch
 * failed). The first page asked for is small ({@link #FIRST_PAGE} rows): the device applies it while the hub reads
 * the next, full one, instead of waiting for a full page before it has anything to do.
 */
public final class SnapshotAsPull implements Transport, AutoCloseable {
    private final HttpTransport hub;
    private final ProgressListener progress;
    private final ExecutorService ahead = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "shuttle-snapshot-ahead");
        t.setDaemon(true);
        return t;
    });
    /** The rows asked for by the first page (the engine's page size after it). */
    static final int FIRST_PAGE = 1000;

    private long rows;
    private boolean first = true;
    private final FetchAhead<Asked, HttpTransport.SnapshotPage> pages;

    /** What a page is asked with. */
    private record Asked(String forNode, long after, int limit) {}

    public SnapshotAsPull(HttpTransport hub, ProgressListener progress) {
        this.hub = hub;
        this.progress = progress;
        this.pages =
                new FetchAhead<>(a -> hub.snapshotPage(a.forNode(), a.after(), a.limit()), ahead, "a snapshot page");
    }

    @Override
    public String hubNode() {
        return hub.hubNode();
    }

    public long rows() {
        return rows;
    }

    @Override
    public PullResult pull(String forNode, long since, int limit) {
        HttpTransport.SnapshotPage p =
                pages.take(new Asked(forNode, since, first ? Math.min(limit, FIRST_PAGE) : limit));
        first = false;
        PullResult page = p.page();
        if (page.more() && !page.resyncRequired()) {
            pages.ahead(new Asked(forNode, page.next(), limit));
        }
        rows += page.changes().size();
        if (page.more() && FilteredSnapshot.isCursor(page.next())) {
            progress.progress("bootstrap", rows, -1); // read from the rows under rules: how many is not known ahead
        } else {
            long total = Math.max(p.hubSeq(), page.next());
            progress.progress("bootstrap", page.more() ? Math.min(page.next(), total) : total, total);
        }
        return page;
    }

    @Override
    public PullResult snapshot(String forNode, long after, int limit) {
        return hub.snapshot(forNode, after, limit);
    }

    @Override
    public PushResult push(String fromNode, List<Change> changes) {
        return hub.push(fromNode, changes);
    }

    /** Stops a fetch ahead still running (an interrupted clone). */
    @Override
    public void close() {
        pages.cancel();
        ahead.shutdownNow();
    }
}
