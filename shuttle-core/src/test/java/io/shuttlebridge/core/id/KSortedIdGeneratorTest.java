package io.shuttlebridge.core.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KSortedIdGeneratorTest {

    private static final String T0 = "2026-03-01T12:00:00Z";
    private static final long T0_MILLIS = Instant.parse(T0).toEpochMilli();

    private final ManualClock clock = ManualClock.at(T0);

    private static Consumer<ShuttleException> code(ErrorCode expected) {
        return e -> assertThat(e.code()).isEqualTo(expected);
    }

    @Test
    void firstIdCarriesTheClockShortIdAndSequenceZero() {
        long id = new KSortedIdGenerator(42, clock).next();

        assertThat(KSortedId.timestamp(id)).isEqualTo(Instant.parse(T0));
        assertThat(KSortedId.shortId(id)).isEqualTo(42);
        assertThat(KSortedId.sequence(id)).isZero();
    }

    @Test
    void sequenceCountsWithinAMillisecondAndRestartsOnTheNext() {
        KSortedIdGenerator generator = new KSortedIdGenerator(1, clock);

        long a = generator.next();
        long b = generator.next();
        clock.advance(1);
        long c = generator.next();
        clock.advance(5);
        long d = generator.next();

        assertThat(new long[] {a, b, c, d})
                .containsExactly(
                        KSortedId.of(T0_MILLIS, 1, 0),
                        KSortedId.of(T0_MILLIS, 1, 1),
                        KSortedId.of(T0_MILLIS + 1, 1, 0),
                        KSortedId.of(T0_MILLIS + 6, 1, 0));
    }

    @Test
    void exhaustingTheSequenceMovesToTheNextMillisecondWithoutWaiting() {
        KSortedIdGenerator generator = new KSortedIdGenerator(9, clock); // the clock never moves by itself

        for (int seq = 0; seq <= 4095; seq++) {
            assertThat(generator.next()).isEqualTo(KSortedId.of(T0_MILLIS, 9, seq));
        }
        long borrowed = generator.next();
        assertThat(KSortedId.timestamp(borrowed)).isEqualTo(Instant.parse(T0).plusMillis(1));
        assertThat(KSortedId.sequence(borrowed)).isZero();

        // When the clock reaches the borrowed millisecond, counting continues from it ...
        clock.advance(1);
        assertThat(generator.next()).isEqualTo(KSortedId.of(T0_MILLIS + 1, 9, 1));
        // ... and once the clock is past it, ids follow the clock again.
        clock.advance(1);
        assertThat(generator.next()).isEqualTo(KSortedId.of(T0_MILLIS + 2, 9, 0));
    }

    @Test
    void sustainedExhaustionIsRefusedOnceIdsRunTooFarAheadOfTheClock() {
        KSortedIdGenerator generator = new KSortedIdGenerator(9, clock, Duration.ofMillis(2));

        // Milliseconds T0, T0+1 and T0+2 (2 ms ahead, within the bound) hold 3 * 4096 ids.
        long last = -1;
        for (int i = 0; i < 3 * 4096; i++) {
            long id = generator.next();
            assertThat(id).isGreaterThan(last);
            last = id;
        }
        assertThat(last).isEqualTo(KSortedId.of(T0_MILLIS + 2, 9, 4095));
        assertThatThrownBy(generator::next)
                .isInstanceOfSatisfying(ShuttleException.class, code(ErrorCode.ID_GENERATION))
                .hasMessageContaining("0.003 s behind")
                .hasMessageContaining("at most 0.002 s ahead");

        clock.advance(1);
        assertThat(generator.next()).isEqualTo(KSortedId.of(T0_MILLIS + 3, 9, 0));
    }

    @Test
    void zeroBoundNeverBorrowsAMillisecond() {
        KSortedIdGenerator generator = new KSortedIdGenerator(0, clock, Duration.ZERO);
        for (int i = 0; i < 4096; i++) {
            generator.next();
        }
        assertThatThrownBy(generator::next)
                .isInstanceOfSatisfying(ShuttleException.class, code(ErrorCode.ID_GENERATION));
        clock.advance(1);
        assertThat(generator.next()).isEqualTo(KSortedId.of(T0_MILLIS + 1, 0, 0));
    }

    @Test
    void clockSteppingBackOneMillisecondNeitherRepeatsNorDecreases() {
        KSortedIdGenerator generator = new KSortedIdGenerator(3, clock);
        clock.advance(1);
        long before = generator.next(); // T0+1, seq 0

        clock.advance(-1);
        long during1 = generator.next();
        long during2 = generator.next();
        clock.advance(1);
        long caughtUp = generator.next();
        clock.advance(1);
        long after = generator.next();

        assertThat(new long[] {before, during1, during2, caughtUp, after})
                .containsExactly(
                        KSortedId.of(T0_MILLIS + 1, 3, 0),
                        KSortedId.of(T0_MILLIS + 1, 3, 1), // keeps the last millisecond (logical time)
                        KSortedId.of(T0_MILLIS + 1, 3, 2),
                        KSortedId.of(T0_MILLIS + 1, 3, 3),
                        KSortedId.of(T0_MILLIS + 2, 3, 0));
    }

    @Test
    void clockSteppingBackTenSecondsWithinTheBoundKeepsLogicalTime() {
        KSortedIdGenerator generator = new KSortedIdGenerator(3, clock, Duration.ofSeconds(30));
        long last = generator.next();

        clock.advance(-10_000);
        // 10,000 ids while the clock slowly walks back up: they use up T0, then borrow T0+1, T0+2.
        for (int i = 0; i < 10_000; i++) {
            if (i % 100 == 0) {
                clock.advance(1);
            }
            long id = generator.next();
            assertThat(id).isGreaterThan(last);
            last = id;
        }
        assertThat(KSortedId.timestamp(last)).isEqualTo(Instant.parse(T0).plusMillis(2));

        clock.set(T0_MILLIS + 10);
        assertThat(generator.next()).isEqualTo(KSortedId.of(T0_MILLIS + 10, 3, 0));
    }

    @Test
    void clockSteppingBackTenSecondsBeyondTheDefaultBoundIsRefusedUntilItCatchesUp() {
        KSortedIdGenerator generator = new KSortedIdGenerator(3, clock);
        assertThat(generator.maxClockRegression()).isEqualTo(Duration.ofSeconds(5));
        long last = generator.next();

        clock.advance(-10_000);
        assertThatThrownBy(generator::next)
                .isInstanceOfSatisfying(ShuttleException.class, code(ErrorCode.ID_GENERATION))
                .hasMessageContaining("shortId 3")
                .hasMessageContaining("10.000 s behind")
                .hasMessageContaining("at most 5.000 s ahead")
                .hasMessageContaining("Ids are refused rather than duplicated");

        clock.advance(5_000); // 5 s behind: within the bound again
        long next = generator.next();
        assertThat(next).isGreaterThan(last).isEqualTo(KSortedId.of(T0_MILLIS, 3, 1));
    }

    @Test
    void singleGeneratorIsStrictlyMonotonicUnderAnErraticClock() {
        long seed = System.nanoTime();
        System.out.println("KSortedIdGeneratorTest.singleGeneratorIsStrictlyMonotonicUnderAnErraticClock seed=" + seed);
        Random random = new Random(seed);
        KSortedIdGenerator generator = new KSortedIdGenerator(1023, clock, Duration.ofHours(1));

        long last = -1;
        for (int i = 0; i < 200_000; i++) {
            int r = random.nextInt(100);
            if (r < 10) {
                clock.advance(random.nextInt(3)); // usually a few ids per millisecond
            } else if (r == 10 && i % 7 == 0) {
                clock.advance(-random.nextInt(2_000)); // occasional step back
            } else if (r == 11) {
                clock.advance(random.nextInt(3_000)); // occasional jump forward
            }
            long id = generator.next();
            assertThat(id).as("seed %d, step %d", seed, i).isGreaterThan(last);
            assertThat(KSortedId.shortId(id)).isEqualTo(1023);
            last = id;
        }
    }

    @Test
    void generatorsWithDifferentShortIdsNeverCollide() {
        KSortedIdGenerator a = new KSortedIdGenerator(1, clock);
        KSortedIdGenerator b = new KSortedIdGenerator(2, clock);
        long[] ids = new long[20_000];
        for (int i = 0; i < ids.length; i += 2) {
            if (i % 1_000 == 0) {
                clock.advance(1);
            }
            ids[i] = a.next();
            ids[i + 1] = b.next();
        }
        assertThat(Arrays.stream(ids).distinct().count()).isEqualTo(ids.length);
    }

    @ParameterizedTest
    @CsvSource({"-1", "1024"})
    void rejectsShortIdOutOfRange(int shortId) {
        assertThatThrownBy(() -> new KSortedIdGenerator(shortId, clock))
                .isInstanceOfSatisfying(ShuttleException.class, code(ErrorCode.ID_GENERATION))
                .hasMessage("shortId " + shortId + " is out of range: it must be between 0 and 1023 (10 bits)."
                        + " Give every node generating ids its own shortId in that range.");
    }

    @Test
    void acceptsTheExtremeShortIds() {
        assertThat(KSortedId.shortId(new KSortedIdGenerator(0, clock).next())).isZero();
        assertThat(KSortedId.shortId(new KSortedIdGenerator(1023, clock).next()))
                .isEqualTo(1023);
    }

    @Test
    void rejectsAClockBeforeTheEpoch() {
        clock.set(KSortedId.EPOCH_MILLIS - 1);
        KSortedIdGenerator generator = new KSortedIdGenerator(0, clock);

        assertThatThrownBy(generator::next)
                .isInstanceOfSatisfying(ShuttleException.class, code(ErrorCode.ID_GENERATION))
                .hasMessageContaining("The clock reads 2024-12-31T23:59:59.999Z")
                .hasMessageContaining("2025-01-01T00:00:00Z to 2094-09-07T15:47:35.551Z");
        clock.set(KSortedId.EPOCH_MILLIS);
        assertThat(generator.next()).isZero();
    }

    @Test
    void rejectsAClockBeyondThe41BitRange() {
        clock.set(KSortedId.EPOCH_MILLIS + KSortedId.MAX_TIMESTAMP + 1);
        assertThatThrownBy(new KSortedIdGenerator(0, clock)::next)
                .isInstanceOfSatisfying(ShuttleException.class, code(ErrorCode.ID_GENERATION))
                .hasMessageContaining("The clock reads 2094-09-07T15:47:35.552Z");
    }

    @Test
    void refusesToBorrowBeyondThe41BitRange() {
        clock.set(KSortedId.EPOCH_MILLIS + KSortedId.MAX_TIMESTAMP);
        KSortedIdGenerator generator = new KSortedIdGenerator(1023, clock);
        for (int i = 0; i < 4096; i++) {
            generator.next();
        }
        assertThatThrownBy(generator::next)
                .isInstanceOfSatisfying(ShuttleException.class, code(ErrorCode.ID_GENERATION))
                .hasMessageContaining("used up the 41-bit time range");
    }

    @Test
    void rejectsANegativeBound() {
        assertThatThrownBy(() -> new KSortedIdGenerator(0, clock, Duration.ofMillis(-1)))
                .isInstanceOfSatisfying(ShuttleException.class, code(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("maxClockRegression");
    }

    @Test
    void observeFastForwardsPastAPersistedId() {
        KSortedIdGenerator generator = new KSortedIdGenerator(5, clock);
        long persisted = KSortedId.of(T0_MILLIS + 2_000, 5, 17); // written before a restart, clock now behind

        generator.observe(persisted);
        generator.observe(KSortedId.of(T0_MILLIS, 5, 0)); // older ids change nothing

        assertThat(generator.next()).isEqualTo(KSortedId.of(T0_MILLIS + 2_000, 5, 18));
        assertThatThrownBy(() -> generator.observe(-1)).isInstanceOf(ShuttleException.class);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void idsFromEightThreadsAreUniqueAndIncreasingPerThread() throws Exception {
        int threads = 8;
        int perThread = 200_000;
        KSortedIdGenerator generator = new KSortedIdGenerator(77, MillisClock.system());
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            Future<?>[] futures = new Future<?>[threads];
            long[][] ids = new long[threads][perThread];
            for (int t = 0; t < threads; t++) {
                long[] mine = ids[t];
                futures[t] = pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        mine[i] = generator.next();
                    }
                    return null;
                });
            }
            start.countDown();
            for (Future<?> future : futures) {
                future.get(60, TimeUnit.SECONDS);
            }

            for (int t = 0; t < threads; t++) {
                long[] mine = ids[t];
                for (int i = 1; i < perThread; i++) {
                    if (mine[i] <= mine[i - 1]) {
                        throw new AssertionError("thread " + t + " saw id " + mine[i] + " after " + mine[i - 1]);
                    }
                }
            }
            long[] all =
                    Arrays.stream(ids).flatMapToLong(Arrays::stream).sorted().toArray();
            for (int i = 1; i < all.length; i++) {
                if (all[i] == all[i - 1]) {
                    throw new AssertionError("duplicate id " + all[i]);
                }
            }
            assertThat(all).hasSize(threads * perThread);
            assertThat(KSortedId.shortId(all[0])).isEqualTo(77);
        } finally {
            pool.shutdownNow();
        }
    }
}
