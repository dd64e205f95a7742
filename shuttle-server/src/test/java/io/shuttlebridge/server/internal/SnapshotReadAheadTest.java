package io.shuttlebridge.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shuttlebridge.core.internal.feed.RowCondition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The next snapshot page read ahead: answered once, for exactly what it was read for, within bounds. */
class SnapshotReadAheadTest {
    private static final long CURSOR = 1L << 52; // the first filtered snapshot cursor
    private static final Map<String, RowCondition> READABLE =
            Map.of("task", new RowCondition("owner = ?", List.of("alice")));

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicLong now = new AtomicLong();
    /** The hub without read slots, reading ahead on the calling thread: every read ahead is done when start returns. */
    private final SnapshotReadAhead ahead =
            new SnapshotReadAhead(true, new ReadSlots(0, 1000), Runnable::run, new HubMetrics(registry), now::get);

    private final List<SnapshotReadAhead.Ask> reads = new ArrayList<>();

    /** Pages of a snapshot whose cursors follow one another, ten pages in all; every read is noted. */
    private final Function<SnapshotReadAhead.Ask, SnapshotReadAhead.Answer> read = ask -> {
        reads.add(ask);
        long next = ask.after() == 0 ? CURSOR : ask.after() + 1;
        boolean more = next < CURSOR + 9;
        return new SnapshotReadAhead.Answer(
                (ask.node() + "@" + ask.after()).getBytes(), ask.limit(), more ? next : 77, more);
    };

    private static SnapshotReadAhead.Ask ask(String node, long after, int limit) {
        return new SnapshotReadAhead.Ask(node, after, limit, READABLE, 3);
    }

    private SnapshotReadAhead.Answer answer(SnapshotReadAhead.Ask asked) {
        return ahead.answer(asked, () -> true, read, 10_000);
    }

    @Test
    void theNextPageIsReadWhileThisOneIsTakenAndAnsweredOnce() {
        assertThat(new String(answer(ask("a", 0, 1000)).body())).isEqualTo("a@0");
        // after a small first page, the next is read ahead at the full page a clone asks next
        assertThat(reads).containsExactly(ask("a", 0, 1000), ask("a", CURSOR, 10_000));
        assertThat(new String(answer(ask("a", CURSOR, 10_000)).body())).isEqualTo("a@" + CURSOR);
        assertThat(reads).hasSize(3).last().isEqualTo(ask("a", CURSOR + 1, 10_000));
        assertThat(count("used")).isEqualTo(1);

        answer(ask("a", CURSOR, 10_000)); // asked again: read again, as it was taken once
        assertThat(reads).hasSize(4).last().isEqualTo(ask("a", CURSOR, 10_000)); // the page after it is kept
        assertThat(count("unused")).isZero();
        answer(ask("a", CURSOR + 1, 10_000));
        assertThat(count("used")).isEqualTo(2);
    }

    @Test
    void aPageAskedOtherwiseThanItWasReadForIsReadAsAsked() {
        answer(ask("a", 0, 10_000));
        answer(new SnapshotReadAhead.Ask("a", CURSOR, 10_000, Map.of("task", RowCondition.ALL), 3)); // other rows
        answer(ask("a", CURSOR + 1, 5000)); // another page size
        answer(new SnapshotReadAhead.Ask("a", CURSOR + 2, 5000, READABLE, 4)); // the schema moved
        assertThat(ahead.answer(ask("b", CURSOR + 3, 5000), () -> true, read, 10_000)) // another node
                .isNotNull();
        assertThat(count("used")).isZero();
        // and one the hub may no longer give (its cursor lost): read as asked, counted unused
        answer(ask("c", 0, 10_000));
        int before = reads.size();
        assertThat(ahead.answer(ask("c", CURSOR, 10_000), () -> false, read, 10_000))
                .isNotNull();
        assertThat(reads.get(before)).isEqualTo(ask("c", CURSOR, 10_000));
        assertThat(count("used")).isZero();
        assertThat(count("unused")).isEqualTo(4); // three of node a's pages ahead, one of c's
    }

    @Test
    void oneHeldPerNodeAtMostEightInAllNonePastItsTime() {
        for (int n = 0; n < SnapshotReadAhead.MAX_HELD + 1; n++) {
            answer(ask("node" + n, 0, 10_000));
        }
        assertThat(ahead.held()).isEqualTo(SnapshotReadAhead.MAX_HELD); // the ninth node's was not read
        assertThat(reads).doesNotContain(ask("node8", CURSOR, 10_000));
        // a node that starts over with other claims: its earlier page ahead is dropped
        answer(new SnapshotReadAhead.Ask("node0", 0, 10_000, Map.of("task", RowCondition.ALL), 3));
        assertThat(ahead.held()).isEqualTo(SnapshotReadAhead.MAX_HELD);
        assertThat(count("unused")).isEqualTo(1);

        now.addAndGet(SnapshotReadAhead.KEEP.toNanos() + TimeUnit.SECONDS.toNanos(1));
        answer(ask("late", 0, 10_000)); // every page held past its time is dropped first
        assertThat(ahead.held()).isEqualTo(1);
        assertThat(count("unused")).isEqualTo(1 + SnapshotReadAhead.MAX_HELD);
        int before = reads.size();
        answer(ask("node1", CURSOR, 10_000));
        assertThat(reads.get(before)).isEqualTo(ask("node1", CURSOR, 10_000)); // read as asked
    }

    @Test
    void aReadAheadThatFailedIsReadAsAsked() {
        Function<SnapshotReadAhead.Ask, SnapshotReadAhead.Answer> failing = ask -> {
            if (ask.after() == CURSOR) {
                throw new IllegalStateException("the database went away");
            }
            return read.apply(ask);
        };
        ahead.answer(ask("a", 0, 10_000), () -> true, failing, 10_000);
        SnapshotReadAhead.Answer a = ahead.answer(ask("a", CURSOR, 10_000), () -> true, read, 10_000);
        assertThat(new String(a.body())).isEqualTo("a@" + CURSOR);
        assertThat(count("unused")).isEqualTo(1);
        assertThat(count("used")).isZero();
    }

    @Test
    void offReadsNothingAhead() {
        SnapshotReadAhead off =
                new SnapshotReadAhead(false, new ReadSlots(0, 1000), Runnable::run, new HubMetrics(registry), now::get);
        off.answer(ask("a", 0, 10_000), () -> true, read, 10_000);
        off.answer(ask("a", CURSOR, 10_000), () -> true, read, 10_000);
        assertThat(reads).containsExactly(ask("a", 0, 10_000), ask("a", CURSOR, 10_000));
        assertThat(off.held()).isZero();
    }

    private double count(String result) {
        Counter c = registry.find("shuttle.snapshot.read.ahead")
                .tag("result", result)
                .counter();
        return c == null ? 0 : c.count();
    }
}
