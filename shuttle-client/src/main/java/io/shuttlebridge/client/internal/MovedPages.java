package io.shuttlebridge.client.internal;

import io.shuttlebridge.core.sync.PullResult;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The pages of rows that moved into a device's set ({@code GET /v1/sync/moved}) as its sync takes them: each
 * next page is asked for while the engine applies the one before ({@link FetchAhead}), so that the device
 * applies while the hub reads, as a clone's pages are ({@link SnapshotAsPull}). (Pages that grow from a small
 * first one were tried: a hub without an index for the rule reads the table once per page of moved rows, and
 * the move-in took longer.) Safe for concurrent use.
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

    /** What a page is asked with. */
    private record Asked(String forNode, String table, long since, long after, int limit) {}

    private final FetchAhead<Asked, Optional<PullResult>> pages;

    public MovedPages(Fetch fetch) {
        this.pages = new FetchAhead<>(
                a -> fetch.page(a.forNode(), a.table(), a.since(), a.after(), a.limit()), AHEAD, "the moved rows");
    }

    /** The page at {@code after} (0: the first) of the rows of {@code table} that moved in since {@code since}. */
    public Optional<PullResult> page(String forNode, String table, long since, long after, int limit) {
        Optional<PullResult> page = pages.take(new Asked(forNode, table, since, after, limit));
        if (page.isPresent() && page.get().more() && !page.get().resyncRequired()) {
            pages.ahead(new Asked(forNode, table, since, page.get().next(), limit));
        }
        return page;
    }
}
