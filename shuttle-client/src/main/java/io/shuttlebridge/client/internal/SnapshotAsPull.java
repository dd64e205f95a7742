package io.shuttlebridge.client.internal;

import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.internal.sync.FilteredSnapshot;
import io.shuttlebridge.core.sync.PullResult;
import io.shuttlebridge.core.sync.PushResult;
import io.shuttlebridge.core.sync.Transport;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves the hub's snapshot where the engine asks for a pull, so that a bootstrap is an ordinary
 * pull: each page is applied and the cursor advanced in one transaction, and an interrupted
 * bootstrap resumes from the last page applied. Reports progress as the share of the hub feed read, or
 * as rows received when the hub reads the snapshot from the rows its rules let the device read.
 *
 * <p>While the engine applies a page, the next one is already on its way: one page is fetched
 * ahead, never more, so memory stays bounded by the page size. A page fetched ahead is used only
 * when the engine asks for exactly it; a fetch ahead that failed is made again when asked for. The
 * first page asked for is small ({@link #FIRST_PAGE} rows): the device applies it while the hub reads
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
    private Ahead next;
    private boolean first = true;

    /** A page being fetched ahead, and what it was asked with. */
    private record Ahead(String forNode, long after, int limit, CompletableFuture<HttpTransport.SnapshotPage> page) {}

    public SnapshotAsPull(HttpTransport hub, ProgressListener progress) {
        this.hub = hub;
        this.progress = progress;
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
        HttpTransport.SnapshotPage p = take(forNode, since, first ? Math.min(limit, FIRST_PAGE) : limit);
        first = false;
        PullResult page = p.page();
        if (page.more() && !page.resyncRequired()) {
            fetchAhead(forNode, page.next(), limit);
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

    private HttpTransport.SnapshotPage take(String forNode, long since, int limit) {
        Ahead a = next;
        next = null;
        if (a != null) {
            if (a.forNode().equals(forNode) && a.after() == since && a.limit() == limit) {
                try {
                    return a.page().get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ShuttleException(ErrorCode.TRANSPORT, "interrupted while fetching a snapshot page", e);
                } catch (ExecutionException e) {
                    // fetched again below: the error, if it lasts, is reported from this thread
                }
            } else {
                a.page().cancel(true);
            }
        }
        return hub.snapshotPage(forNode, since, limit);
    }

    private void fetchAhead(String forNode, long after, int limit) {
        next = new Ahead(
                forNode,
                after,
                limit,
                CompletableFuture.supplyAsync(() -> hub.snapshotPage(forNode, after, limit), ahead));
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
        if (next != null) {
            next.page().cancel(true);
            next = null;
        }
        ahead.shutdownNow();
    }
}
