package io.shuttlebridge.core.internal.sync;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.change.Stamp;
import io.shuttlebridge.core.internal.change.FeedEntry;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.internal.feed.EntryBase;
import io.shuttlebridge.core.internal.feed.FeedReader;
import io.shuttlebridge.core.sync.PushResult;
import io.shuttlebridge.core.sync.Standing;
import io.shuttlebridge.core.sync.Transport;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A device pushing its local changes to its hub, page by page in order. The next page is read and its
 * request prepared while the hub applies the current one, and each page's acknowledgement is recorded
 * while the next is sent, on one thread of this database's own: the hub's apply is the only wait.
 * Recent local writes are folded into the feed once, before the first page. Internal.
 */
public final class PushPipeline {
    private final EngineContext engine;
    private final ShuttleDatabase db;

    public PushPipeline(EngineContext engine) {
        this.engine = engine;
        this.db = engine.db();
    }

    /** A page of local changes and its push, ready to send (none for an empty page). */
    private record Outgoing(FeedReader.Page page, Transport.PreparedPush request) {}

    /** A page read, and the positions of its entries that are copies the hub lost ({@link ResentCopies}). */
    private record Read(FeedReader.Page page, Set<Integer> resent) {}

    /** Pushes every local change the hub {@code hubNode} has not acknowledged. */
    public void push(Transport hub, String hubNode, SyncTally tally) {
        ExecutorService local = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "shuttle-push-" + hubNode.substring(0, 8));
            t.setDaemon(true);
            return t;
        });
        Future<?> acked = null;
        Throwable failure = null;
        try {
            long after = db.read(c -> PeerStore.get(c, hubNode)).lastPushed();
            // columns this device has not had the hub's values of yet: never pushed as NULL over them
            Map<String, Set<String>> unfilled = db.read(NewColumns::pending);
            java.util.concurrent.atomic.AtomicBoolean ackFailed = new java.util.concurrent.atomic.AtomicBoolean();
            Outgoing out = outgoing(hub, hubNode, unfilled, db.transaction(c -> page(c, hubNode, after, true)));
            while (true) {
                final FeedReader.Page page = out.page();
                Future<Outgoing> next = page.more()
                        ? local.submit(() -> outgoing(
                                hub, hubNode, unfilled, db.transaction(c -> page(c, hubNode, page.lastSeq(), false))))
                        : null;
                PushResult answer = send(out, next, tally);
                List<Long> refused = refusedSeqs(page, answer);
                List<RestampAdoption.Adopted> restamped = restamped(page, answer, tally);
                final long through = page.lastSeq();
                final long now = engine.clock().millis();
                acked = local.submit(() -> {
                    if (ackFailed.get()) {
                        // an earlier page's acknowledgement failed: this one must not move the cursor past it
                        return null;
                    }
                    try {
                        // what the hub acknowledged is on disk before this device shows its ticket again
                        return db.durableTransaction(c -> {
                            RejectedWrites.record(c, engine, hubNode, page, answer, now);
                            if (answer != null) {
                                DeviceStanding.received(c, hubNode, answer.ticket());
                            }
                            return acknowledge(c, hubNode, through, refused, restamped);
                        });
                    } catch (RuntimeException | Error e) {
                        ackFailed.set(true);
                        throw e;
                    }
                });
                if (next == null) {
                    await(acked);
                    if (ackFailed.get()) {
                        throw new ShuttleException(
                                ErrorCode.DATABASE,
                                "recording the hub's answer to a pushed page failed; the next sync pushes it again");
                    }
                    return;
                }
                out = await(next);
            }
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            try {
                if (acked != null && !acked.isDone()) {
                    await(acked); // what the hub took is recorded even when a later page failed
                }
            } catch (RuntimeException e) {
                if (failure == null) {
                    throw e;
                }
                failure.addSuppressed(e);
            } finally {
                local.shutdown();
            }
        }
    }

    /**
     * Sends the page's push, if it has changes, and returns the hub's answer (null for an empty page). When
     * sending fails, the next page being read is not wanted.
     */
    private static PushResult send(Outgoing out, Future<?> next, SyncTally tally) {
        if (out.request() == null) {
            return null;
        }
        PushResult r;
        try {
            r = out.request().send();
        } catch (RuntimeException e) {
            if (next != null) {
                next.cancel(false);
            }
            throw e;
        }
        tally.pushed(r);
        return r;
    }

    /** The page's entries the hub re-stamped to its clock: warned of and counted now, adopted with the acknowledgement. */
    private static List<RestampAdoption.Adopted> restamped(FeedReader.Page page, PushResult r, SyncTally tally) {
        if (r == null) {
            return List.of();
        }
        List<RestampAdoption.Adopted> adopted = RestampAdoption.match(page, r);
        RestampAdoption.warn(adopted);
        tally.restamped(adopted.stream().map(RestampAdoption.Adopted::row).toList());
        return adopted;
    }

    /** The page's push, showing the hub the ticket this device holds now (kept, so never one it may lose). */
    private Outgoing outgoing(Transport hub, String hubNode, Map<String, Set<String>> unfilled, Read read) {
        FeedReader.Page page = read.page();
        if (page.entries().isEmpty()) {
            return new Outgoing(page, null);
        }
        Standing shown = db.durableTransaction(
                c -> DeviceStanding.show(c, hubNode, engine.clock().millis()));
        Standing standing = read.resent().isEmpty() ? shown : shown.withResent(read.resent());
        return new Outgoing(
                page,
                hub.preparePush(
                        engine.nodeUuid(),
                        NewColumns.withoutUnfilled(
                                page.entries().stream().map(FeedEntry::change).toList(), unfilled),
                        standing));
    }

    private Read page(Connection c, String hubNode, long after, boolean fold) throws SQLException {
        FeedReader reader = new FeedReader(Dialects.of(db), engine.schema());
        FeedReader.Query q = FeedReader.Query.after(after, engine.pageSize()).excludingPeer(hubNode);
        FeedReader.Page page = fold ? reader.read(c, q) : reader.readFolded(c, q);
        return new Read(page, ResentCopies.positions(c, page, after));
    }

    /** The seqs of the page's entries whose stamps the hub did not take. */
    private static List<Long> refusedSeqs(FeedReader.Page page, PushResult r) {
        List<Long> seqs = new ArrayList<>();
        if (r != null && !r.rejected().isEmpty()) {
            Set<Stamp> refused = new HashSet<>(r.rejected());
            for (FeedEntry e : page.entries()) {
                if (refused.contains(e.change().stamp())) {
                    seqs.add(e.seq());
                }
            }
        }
        return seqs;
    }

    /**
     * The hub applied the page: the cursor moves past it, what the hub took is the base of our next write to
     * those rows, and the rows it re-stamped carry its stamps.
     */
    private static Void acknowledge(
            Connection c,
            String hubNode,
            long through,
            List<Long> rejectedSeqs,
            List<RestampAdoption.Adopted> restamped)
            throws SQLException {
        EntryBase.refused(c, rejectedSeqs); // what the hub refused is not a base
        RestampAdoption.adopt(c, restamped);
        PeerStore.setPushed(c, hubNode, through);
        ResentCopies.acknowledged(c, through);
        return null;
    }

    private static <T> T await(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ShuttleException(ErrorCode.INTERNAL, "interrupted while pushing", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new ShuttleException(ErrorCode.INTERNAL, "pushing failed", e.getCause());
        }
    }
}
