package io.shuttlebridge.core.internal.sync;

import io.shuttlebridge.core.ShuttleDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the pulls of a pooled hub acknowledge (a device pulling after {@code seq} holds everything up to
 * there, and was heard from now), written to {@code _shuttle_peers} a moment later, many devices' in one
 * transaction, instead of by a write transaction and a commit of every pull's own. An acknowledgement only
 * ever lets the hub forget more (the purge horizon is the lowest one, a device silent too long is retired),
 * so one that is late or lost with a stopped process errs on the side of keeping: the hub keeps a
 * tombstone a little longer, never drops one a device still needs. Whatever reads the acknowledgements in
 * this process (the purge, the retirement of silent devices, the peers' listing) writes the pending ones
 * first; a retired device's pending acknowledgement is dropped, never brought back. Internal.
 */
public final class PullAcks {
    private static final Logger log = LoggerFactory.getLogger(PullAcks.class);

    /** How long after the first pending acknowledgement they are written together. */
    static final long DELAY_MILLIS = 200;

    /** Writes that failed in a row before the pending acknowledgements are given up (a closed database). */
    private static final int MOST_FAILURES = 5;

    private record Ack(long seq, Instant at) {
        Ack merge(Ack o) {
            return new Ack(Math.max(seq, o.seq), at.isAfter(o.at) ? at : o.at);
        }
    }

    private final ShuttleDatabase db;
    /** Held while acknowledgements taken from {@link #pending} are written: a reader waits for those in flight. */
    private final ReentrantLock writing = new ReentrantLock();
    // guarded by this
    private Map<String, Ack> pending = new HashMap<>();
    private boolean scheduled;
    private int failures;

    public PullAcks(ShuttleDatabase db) {
        this.db = db;
    }

    /** {@code node} pulled after {@code seq} at {@code at}: written within {@link #DELAY_MILLIS}. */
    public void record(String node, long seq, Instant at) {
        synchronized (this) {
            pending.merge(node, new Ack(seq, at), Ack::merge);
        }
        scheduleWrite();
    }

    /** Starts the write of the pending acknowledgements {@link #DELAY_MILLIS} from now, unless one is coming. */
    private void scheduleWrite() {
        boolean start;
        synchronized (this) {
            start = !scheduled && !pending.isEmpty();
            scheduled |= start;
        }
        if (start) {
            Thread.ofVirtual().name("shuttle-pull-acks").start(this::writeLater);
        }
    }

    /**
     * Runs {@code retirement} of {@code node} once the acknowledgements being written are committed, with its
     * pending one dropped and none written meanwhile: a write in flight that read the device as not retired
     * yet would otherwise put its row back after the retirement deleted it.
     */
    public <T> T retiring(String node, Supplier<T> retirement) {
        writing.lock();
        try {
            synchronized (this) {
                pending.remove(node);
            }
            return retirement.get();
        } finally {
            writing.unlock();
        }
    }

    /**
     * Writes the pending acknowledgements in the caller's transaction on {@code c} (in the order of their
     * devices, as every writer of them does), leaving out retired devices. If the transaction then fails,
     * they are lost: the hub keeps tombstones a little longer.
     */
    public void write(Connection c) throws SQLException {
        writing.lock();
        try {
            Map<String, Ack> taken = take();
            if (!taken.isEmpty()) {
                write(c, taken);
            }
        } finally {
            writing.unlock();
        }
    }

    /**
     * Writes the pending acknowledgements now, in a transaction of their own, once those being written are:
     * when it returns, every acknowledgement recorded before it was called is committed.
     */
    public void writeNow() {
        writing.lock();
        try {
            Map<String, Ack> taken = take();
            if (!taken.isEmpty()) {
                db.transaction(c -> {
                    write(c, taken);
                    return null;
                });
            }
        } finally {
            writing.unlock();
        }
    }

    private synchronized Map<String, Ack> take() {
        Map<String, Ack> taken = pending;
        pending = new HashMap<>();
        return taken;
    }

    private static void write(Connection c, Map<String, Ack> acks) throws SQLException {
        List<String> peers = new ArrayList<>(acks.keySet());
        peers.sort(null);
        peers.removeAll(PeerStore.retiredAmong(c, peers));
        List<PeerStore.Pulled> pulls = new ArrayList<>(peers.size());
        for (String peer : peers) {
            Ack a = acks.get(peer);
            pulls.add(new PeerStore.Pulled(peer, a.seq(), a.at()));
        }
        PeerStore.pulledBy(c, pulls);
    }

    private void writeLater() {
        try {
            Thread.sleep(DELAY_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Map<String, Ack> taken = Map.of();
        writing.lock();
        try {
            synchronized (this) {
                scheduled = false;
                taken = pending;
                pending = new HashMap<>();
            }
            if (taken.isEmpty()) {
                return;
            }
            Map<String, Ack> these = taken;
            db.transaction(c -> {
                write(c, these);
                return null;
            });
            synchronized (this) {
                failures = 0;
            }
        } catch (RuntimeException e) {
            boolean again;
            synchronized (this) {
                again = ++failures < MOST_FAILURES;
                if (again) {
                    taken.forEach((node, ack) -> pending.merge(node, ack, Ack::merge));
                } else {
                    failures = 0;
                }
            }
            if (again) {
                log.debug(
                        "writing {} pull acknowledgement(s) failed, again in a moment: {}",
                        taken.size(),
                        e.getMessage());
                scheduleWrite();
            } else {
                log.warn(
                        "{} pull acknowledgement(s) not written ({}): the hub keeps tombstones until those devices pull again",
                        taken.size(),
                        e.getMessage());
            }
        } finally {
            writing.unlock();
        }
    }
}
