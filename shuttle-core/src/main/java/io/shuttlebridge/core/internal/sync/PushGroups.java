package io.shuttlebridge.core.internal.sync;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Group commit of pushes that arrive together. Pushes into one database serialize on the lock that
 * orders its feed (PostgreSQL's fold lock, held from a push's first feed write to its commit), so a
 * pooled hub's concurrent pushes would each wait for that lock, then pay their own transaction and
 * commit. Here the first push to arrive while none is being committed leads: it takes every push
 * waiting then (up to {@link #MAX_PUSHES}, and up to {@link #MAX_CHANGES} changes) and runs them as
 * one group ({@code runner}: one transaction); the pushes that
 * arrive meanwhile wait and form the next group, led by the first of them. A push is answered once its
 * group is over; groups are taken in the order their pushes arrived.
 *
 * @param <P> a push waiting to be committed
 */
final class PushGroups<P> {
    /** The system property that turns group commit off ({@code off}), to compare a hub without it. */
    static final String PROPERTY = "shuttle.hub.pushGroups";

    /**
     * Most pushes one group takes: a group commits in one transaction without savepoints, and one that
     * fails goes again without the push that failed, so a group is kept to a size whose rerun costs little.
     */
    static final int MAX_PUSHES = 32;

    /** Most changes one group takes (a push larger than this alone makes a group of its own). */
    static final int MAX_CHANGES = 5_000;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Waiting<P>> waiting = new ArrayDeque<>();
    private boolean running;

    private final AtomicLong groups = new AtomicLong();
    private final AtomicLong grouped = new AtomicLong();

    private static final class Waiting<P> {
        final P push;
        final int changes;
        boolean lead;
        boolean done;

        Waiting(P push, int changes) {
            this.push = push;
            this.changes = changes;
        }
    }

    /**
     * Commits {@code push} ({@code changes} changes) in a group, leading it when no group is being
     * committed; returns once the group it was in is over. {@code runner} gets the group's pushes in the
     * order they arrived and leaves each one's outcome in it; what it throws ends the group all the same.
     */
    void commit(P push, int changes, Consumer<List<P>> runner) {
        Waiting<P> me = new Waiting<>(push, changes);
        List<P> group = new ArrayList<>();
        List<Waiting<P>> taken = new ArrayList<>();
        lock.lock();
        try {
            waiting.addLast(me);
            if (!running) {
                running = true;
                me.lead = true;
            }
            while (!me.lead && !me.done) {
                changed.awaitUninterruptibly();
            }
            if (me.done) {
                return;
            }
            // the leader is the first waiting: it takes itself and those behind it
            int total = 0;
            while (!waiting.isEmpty() && taken.size() < MAX_PUSHES) {
                Waiting<P> next = waiting.peekFirst();
                if (!taken.isEmpty() && total + next.changes > MAX_CHANGES) {
                    break;
                }
                taken.add(waiting.pollFirst());
                total += next.changes;
            }
            for (Waiting<P> w : taken) {
                group.add(w.push);
            }
        } finally {
            lock.unlock();
        }
        try {
            groups.incrementAndGet();
            if (group.size() > 1) {
                grouped.addAndGet(group.size());
            }
            runner.accept(group);
        } finally {
            lock.lock();
            try {
                for (Waiting<P> w : taken) {
                    w.done = true;
                }
                Waiting<P> next = waiting.peekFirst();
                if (next == null) {
                    running = false;
                } else {
                    next.lead = true;
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Groups committed so far. */
    long groups() {
        return groups.get();
    }

    /** Pushes committed in a group with others so far. */
    long groupedPushes() {
        return grouped.get();
    }
}
