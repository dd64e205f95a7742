package io.shuttlebridge.server.internal;

import io.shuttlebridge.core.internal.feed.RowCondition;
import io.shuttlebridge.core.internal.sync.FilteredSnapshot;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The next page of a snapshot read through rules, read and encoded while the device takes the page it was just
 * answered: a device that clones pages asks for the next as soon as it has one, and the hub, which walks the
 * table in key order for the rows the device may read, has it ready instead of starting then. Idle capacity only:
 * a page is read ahead in a read slot free at that moment (nobody waiting for one), never more than {@link
 * #MAX_HELD} at once, one per node, and an answer not asked for within {@link #KEEP} is dropped.
 *
 * <p>An answer read ahead is used only for exactly what it was read for ({@link Ask}: node, cursor, page size,
 * the rows its claims let it read and the schema version answers carry); anything else, and a page whose read
 * failed, is read as it is asked. It holds what the device would have been answered had it asked when the page
 * was read: rows that changed since come with its pulls from the snapshot's horizon, as they do for any page.
 */
final class SnapshotReadAhead {
    /** {@code -Dshuttle.hub.snapshotReadAhead=false}: every page is read when it is asked for. */
    static final String PROPERTY = "shuttle.hub.snapshotReadAhead";

    /** The most answers held (or being read) at once: with pages of 10,000 rows, a few MB each. */
    static final int MAX_HELD = 8;

    /** How long an answer read ahead waits to be asked for. */
    static final Duration KEEP = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(SnapshotReadAhead.class);

    /** What a page is asked with: all its answer depends on. */
    record Ask(String node, long after, int limit, Map<String, RowCondition> readable, long schemaVersion) {
        /** The same asked from {@code cursor} on, for pages of {@code rows}. */
        Ask from(long cursor, int rows) {
            return new Ask(node, cursor, rows, readable, schemaVersion);
        }
    }

    /** A page's answer: the body sent, the rows it carries, and where the next page starts (if one follows). */
    record Answer(byte[] body, int rows, long next, boolean more) {}

    /** An answer being read or read, and when its read started. */
    private record Held(CompletableFuture<Answer> answer, long sinceNanos) {}

    private final boolean on;
    private final ReadSlots slots;
    private final Executor executor;
    private final HubMetrics metrics;
    private final LongSupplier nanoTime;
    private final Map<Ask, Held> held = new LinkedHashMap<>();

    /** Pages read ahead (when {@code on}) on {@code executor}, in a free one of {@code slots}. */
    SnapshotReadAhead(boolean on, ReadSlots slots, Executor executor, HubMetrics metrics, LongSupplier nanoTime) {
        this.on = on;
        this.slots = slots;
        this.executor = executor;
        this.metrics = metrics;
        this.nanoTime = nanoTime;
    }

    /**
     * The answer to {@code asked}: the one read ahead for exactly it when {@code answerable} says it may be given,
     * else the one {@code read} reads now; then, when another page follows, that page is read ahead (at {@code
     * fullPage} rows after a first page, which a clone asks small, else at the size asked).
     */
    Answer answer(Ask asked, BooleanSupplier answerable, Function<Ask, Answer> read, int fullPage) {
        Answer a = asked.after() == 0 ? null : take(asked, answerable);
        if (a == null) {
            a = read.apply(asked);
        }
        if (a.more() && FilteredSnapshot.isCursor(a.next())) {
            Ask next = asked.from(a.next(), asked.after() == 0 ? fullPage : asked.limit());
            start(next, () -> read.apply(next));
        }
        return a;
    }

    /**
     * Starts reading the answer to {@code next} with {@code read}, in place of any other held for its node, unless
     * it is held already, reading ahead is off, {@link #MAX_HELD} are held, or no read slot is free now.
     */
    private void start(Ask next, Supplier<Answer> read) {
        if (!on) {
            return;
        }
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        synchronized (this) {
            if (held.containsKey(next)) {
                return; // read ahead already (the page before it was asked for again)
            }
            long now = nanoTime.getAsLong();
            for (Iterator<Map.Entry<Ask, Held>> i = held.entrySet().iterator(); i.hasNext(); ) {
                Map.Entry<Ask, Held> e = i.next();
                if (e.getKey().node().equals(next.node()) || now - e.getValue().sinceNanos() > KEEP.toNanos()) {
                    i.remove();
                    drop(e.getValue());
                }
            }
            if (held.size() >= MAX_HELD) {
                return;
            }
            held.put(next, new Held(answer, now));
        }
        boolean started = slots.tryStart(
                () -> {
                    try {
                        answer.complete(read.get());
                    } catch (RuntimeException | Error e) {
                        log.debug("a snapshot page read ahead for node {} failed: {}", next.node(), e.toString());
                        answer.completeExceptionally(e);
                    }
                },
                executor);
        if (!started) {
            synchronized (this) {
                Held h = held.get(next);
                if (h != null && h.answer() == answer) {
                    held.remove(next);
                }
            }
            answer.cancel(false);
        }
    }

    /**
     * The answer read ahead for exactly {@code asked} (waiting for its read to end), if {@code answerable} still
     * says it may be given; else null. Taken once.
     */
    private Answer take(Ask asked, BooleanSupplier answerable) {
        Held h;
        synchronized (this) {
            h = held.remove(asked);
        }
        if (h == null) {
            return null;
        }
        try {
            Answer a = h.answer().get();
            boolean used = answerable.getAsBoolean();
            metrics.snapshotReadAhead(used);
            return used ? a : null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | CancellationException e) {
            metrics.snapshotReadAhead(false);
            return null;
        }
    }

    /** Answers held now (read or being read). */
    synchronized int held() {
        return held.size();
    }

    /** An answer read ahead that will not be asked for. */
    private void drop(Held h) {
        h.answer().cancel(false); // a read under way ends on its own; its answer is not kept
        metrics.snapshotReadAhead(false);
    }
}
