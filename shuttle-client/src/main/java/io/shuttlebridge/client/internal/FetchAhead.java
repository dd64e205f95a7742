package io.shuttlebridge.client.internal;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * One page fetched ahead of an engine that applies pages one after another (a clone's snapshot, a move-in's
 * moved rows), so that the hub reads the next while the device applies this one. Never more than one page
 * ahead, so memory stays bounded by the page size. The page fetched ahead is used only when the engine asks
 * for exactly it (requests compared with {@code equals}); one whose fetch failed is asked for again from the
 * engine's thread, so that the error, if it lasts, is reported there. Safe for concurrent use.
 *
 * @param <Q> a request for a page, a value
 * @param <P> a page
 */
final class FetchAhead<Q, P> {
    private final Function<Q, P> fetch;
    private final Executor executor;
    private final String what;
    private Pending<Q, P> pending;

    /** A page being fetched ahead, and what it was asked with. */
    private record Pending<Q, P>(Q asked, CompletableFuture<P> page) {}

    /** Pages fetched with {@code fetch}, ahead on {@code executor}; {@code what} names them in errors. */
    FetchAhead(Function<Q, P> fetch, Executor executor, String what) {
        this.fetch = fetch;
        this.executor = executor;
        this.what = what;
    }

    /** The page {@code asked} for: the one fetched ahead when it is that one, else fetched now. */
    P take(Q asked) {
        Pending<Q, P> p;
        synchronized (this) {
            p = pending;
            pending = null;
        }
        if (p != null) {
            if (p.asked().equals(asked)) {
                try {
                    return p.page().get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ShuttleException(ErrorCode.TRANSPORT, "interrupted while fetching " + what, e);
                } catch (ExecutionException e) {
                    // fetched again below: the error, if it lasts, is reported from this thread
                }
            } else {
                p.page().cancel(true);
            }
        }
        return fetch.apply(asked);
    }

    /** Starts fetching the page {@code next} asks for, in place of one fetched ahead before. */
    void ahead(Q next) {
        CompletableFuture<P> page = CompletableFuture.supplyAsync(() -> fetch.apply(next), executor);
        Pending<Q, P> before;
        synchronized (this) {
            before = pending;
            pending = new Pending<>(next, page);
        }
        if (before != null) {
            before.page().cancel(true);
        }
    }

    /** Stops a fetch ahead still running. */
    void cancel() {
        Pending<Q, P> p;
        synchronized (this) {
            p = pending;
            pending = null;
        }
        if (p != null) {
            p.page().cancel(true);
        }
    }
}
