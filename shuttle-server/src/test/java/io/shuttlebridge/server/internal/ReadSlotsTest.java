package io.shuttlebridge.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReadSlotsTest {
    @Test
    void halfThePoolServesReadsTheRestIsLeftToPushes() {
        assertThat(ReadSlots.defaultSize(10)).isEqualTo(4); // 9 serving requests (one listens), 5 left to pushes
        assertThat(ReadSlots.defaultSize(21)).isEqualTo(10);
        assertThat(ReadSlots.defaultSize(4)).isEqualTo(1);
        assertThat(ReadSlots.defaultSize(2)).isEqualTo(1);
    }

    @Test
    void readsBeyondTheSlotsWaitTheirTurnAndNeverRunTogether() throws Exception {
        ReadSlots slots = new ReadSlots(2, 10_000);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            Future<?>[] reads = new Future<?>[40];
            for (int i = 0; i < reads.length; i++) {
                reads[i] = pool.submit(() -> slots.run(() -> {
                    most.accumulateAndGet(running.incrementAndGet(), Math::max);
                    sleep(2);
                    running.decrementAndGet();
                }));
            }
            for (Future<?> f : reads) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(most.get()).isEqualTo(2);
        assertThat(slots.waiting()).isZero();
    }

    @Test
    void workThatOnlyUsesIdleCapacityStartsInAFreeSlotOrNotAtAll() throws Exception {
        ReadSlots slots = new ReadSlots(2, 10_000);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch started = new CountDownLatch(2);
            Runnable hold = () -> {
                started.countDown();
                await(release);
            };
            assertThat(slots.tryStart(hold, pool)).isTrue();
            assertThat(slots.tryStart(hold, pool)).isTrue();
            started.await();
            AtomicInteger ran = new AtomicInteger();
            assertThat(slots.tryStart(ran::incrementAndGet, pool)).isFalse(); // both slots are taken
            // a read waiting for its turn goes first: idle work does not start even when a slot comes free
            Future<?> waiting = pool.submit(() -> slots.run(ran::incrementAndGet));
            while (slots.waiting() == 0) {
                sleep(1);
            }
            assertThat(slots.tryStart(ran::incrementAndGet, pool)).isFalse();
            release.countDown();
            waiting.get(10, TimeUnit.SECONDS);
            assertThat(ran.get()).isEqualTo(1);
            CountDownLatch done = new CountDownLatch(1);
            assertThat(slots.tryStart(done::countDown, pool)).isTrue();
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            // a hub without slots: it always starts
            CountDownLatch unlimited = new CountDownLatch(1);
            assertThat(new ReadSlots(0, 10_000).tryStart(unlimited::countDown, pool))
                    .isTrue();
            assertThat(unlimited.await(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aReadThatWaitedTooLongIsRefusedUnavailableAndDoesNothing() throws Exception {
        ReadSlots slots = new ReadSlots(1, 200);
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = Thread.ofVirtual()
                .start(() -> slots.run(() -> {
                    holding.countDown();
                    await(release);
                }));
        holding.await();
        AtomicInteger ran = new AtomicInteger();
        assertThatThrownBy(() -> slots.run(ran::incrementAndGet))
                .isInstanceOf(ShuttleException.class)
                .satisfies(e -> assertThat(((ShuttleException) e).code()).isEqualTo(ErrorCode.UNAVAILABLE))
                .hasMessageContaining("busy serving 1 read(s) at once")
                .hasMessageContaining("retry");
        assertThat(ran.get()).isZero();
        release.countDown();
        holder.join();
        slots.run(ran::incrementAndGet); // the slot is free again
        assertThat(ran.get()).isOne();
    }

    @Test
    void withoutSlotsEveryReadGoesStraightOn() {
        ReadSlots none = new ReadSlots(0, 1);
        AtomicInteger ran = new AtomicInteger();
        none.run(() -> none.run(ran::incrementAndGet)); // nested: no slot held
        assertThat(ran.get()).isOne();
        assertThat(none.size()).isZero();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
