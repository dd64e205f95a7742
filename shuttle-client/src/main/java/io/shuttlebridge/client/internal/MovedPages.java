package io.shuttlebridge.client.internal;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.sync.PullResult;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The pages of rows that moved into a device's set ({@code GET /v1/sync/moved}) as its sync takes them: each
 * next page is asked for while the engine applies the one before (one page ahead, never more), so that the
 * device applies while the hub reads, as a clone's pages are ({@link SnapshotAsPull}). A page fetched ahead
 * is used only when the engine asks for exactly it; one whose fetch failed is asked for again. (Pages that
 * grow from a small first one were tried: a hub without an index for the rule reads the table once per page
 * of moved rows, and the move-in took longer.) Safe for concurrent use.
 */
public final class MovedPages {
    private static final ExecutorService AHEAD = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "shuttle-moved-ahead");
        t.setDaemon(true);
        return t;
    });

    /** Asks the hub for one page. */
    @FunctionalInterface
    public interface Fetch {
        Optional<PullResult> page(String forNode, String table, long since, long after, int limit);
    }

    private final Fetch fetch;
    private Ahead ahead;

    /** A page being fetched ahead, and what it was asked with. */
    private record Ahead(
            String forNode,
            String table,
            long since,
            long after,
            int limit,
            CompletableFuture<Optional<PullResult>> page) {
        boolean answers(String forNode, String table, long since, long after, int limit) {
            return this.forNode.equals(forNode)
                    && this.table.equals(table)
                    && this.since == since
                    && this.after == after
                    && this.limit == limit;
        }
    }

    public MovedPages(Fetch fetch) {
        this.fetch = fetch;
    }

    /** The page at {@code after} (0: the first) of the rows of {@code table} that moved in since {@code since}. */
    public Optional<PullResult> page(String forNode, String table, long since, long after, int limit) {
        Ahead a;
        synchronized (this) {
            a = ahead;
            ahead = null;
        }
        Optional<PullResult> page = null;
        if (a != null && a.answers(forNode, table, since, after, limit)) {
            try {
                page = a.page().get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ShuttleException(ErrorCode.TRANSPORT, "interrupted while fetching the moved rows", e);
            } catch (ExecutionException e) {
                // asked for again below: the error, if it lasts, is reported from this thread
            }
        } else if (a != null) {
            a.page().cancel(true);
        }
        if (page == null) {
            page = fetch.page(forNode, table, since, after, limit);
        }
        if (page.isPresent() && page.get().more() && !page.get().resyncRequired()) {
            long next = page.get().next();
            CompletableFuture<Optional<PullResult>> f =
                    CompletableFuture.supplyAsync(() -> fetch.page(forNode, table, since, next, limit), AHEAD);
            synchronized (this) {
                ahead = new Ahead(forNode, table, since, next, limit, f);
            }
        }
        return page;
    }
}
