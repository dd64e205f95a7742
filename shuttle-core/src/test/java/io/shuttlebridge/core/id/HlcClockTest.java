package io.shuttlebridge.core.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HlcClockTest {

    private static final long T = Instant.parse("2026-05-01T08:00:00Z").toEpochMilli();

    private final ManualClock clock = new ManualClock(T);

    /** A clock whose last timestamp is (l, c), reading physical time pt. */
    private HlcClock clockAt(long l, int c, long pt) {
        clock.set(pt);
        HlcClock hlc = new HlcClock(clock);
        hlc.observe(Hlc.pack(l, c));
        return hlc;
    }

    @ParameterizedTest(name = "state ({0},{1}), pt {2} -> ({3},{4})")
    @CsvSource({
        // l,   c,     pt,  l',  c'
        "100,   5,     200, 200, 0", // physical clock ahead: take it, counter 0
        "100,   5,     100, 100, 6", // same millisecond: count up
        "100,   5,      40, 100, 6", // physical clock behind: keep l, count up
        "100,   65535,  40, 101, 0", // counter overflow: next logical millisecond, not a wrap
        "100,   65535, 101, 101, 0", // overflow meets the physical clock
        "0,     0,       7,   7, 0", // first timestamp of a fresh clock
    })
    void sendRule(long l, int c, long pt, long expectedL, int expectedC) {
        HlcClock hlc = clockAt(l, c, pt);

        long ts = hlc.now();

        assertThat(Hlc.toString(ts)).isEqualTo(Hlc.toString(Hlc.pack(expectedL, expectedC)));
        assertThat(hlc.current()).isEqualTo(ts);
    }

    @ParameterizedTest(name = "state ({0},{1}), remote ({2},{3}), pt {4} -> ({5},{6})")
    @CsvSource({
        // l,  c,     rl,  rc,     pt,  l',  c'
        "100,  5,      90, 3,      200, 200, 0", // pt largest: counter 0
        "300,  5,     200, 9,      250, 300, 6", // l largest: c + 1
        "100,  5,     300, 9,      250, 300, 10", // rl largest: rc + 1
        "300,  5,     300, 9,      250, 300, 10", // l == rl largest: max(c, rc) + 1
        "300,  7,     300, 2,      250, 300, 8", // l == rl largest, local counter larger
        "300,  5,     300, 9,      300, 300, 10", // all three equal
        "300,  5,     200, 9,      300, 300, 6", // pt == l > rl
        "100,  5,     300, 9,      300, 300, 10", // pt == rl > l
        "100,  0,     300, 65535,  250, 301, 0", // remote counter overflows: next millisecond
        "300,  65535, 300, 1,      250, 301, 0", // local counter overflows: next millisecond
    })
    void receiveRule(long l, int c, long rl, int rc, long pt, long expectedL, int expectedC) {
        HlcClock hlc = clockAt(l, c, pt);

        long ts = hlc.receive(Hlc.pack(rl, rc));

        assertThat(Hlc.toString(ts)).isEqualTo(Hlc.toString(Hlc.pack(expectedL, expectedC)));
        assertThat(hlc.current()).isEqualTo(ts);
    }

    @Test
    void agreesWithTheRulesOfThePaperOnRandomHistories() {
        long seed = System.nanoTime();
        System.out.println("HlcClockTest.agreesWithTheRulesOfThePaperOnRandomHistories seed=" + seed);
        Random random = new Random(seed);
        HlcClock hlc = new HlcClock(clock, Duration.ofMillis(50));
        long l = 0;
        int c = 0;

        for (int i = 0; i < 50_000; i++) {
            clock.advance(random.nextInt(7) - 3); // wanders forwards and backwards
            long pt = clock.millis();
            long actual;
            long lOld = l;
            if (random.nextBoolean()) {
                actual = hlc.now();
                l = Math.max(lOld, pt);
                c = l == lOld ? c + 1 : 0;
            } else {
                long rl = pt + random.nextInt(60) - 30;
                int rc = random.nextInt(5) == 0 ? 65_535 : random.nextInt(10);
                actual = hlc.receive(Hlc.pack(rl, rc));
                l = Math.max(Math.max(lOld, rl), pt);
                if (l == lOld && l == rl) {
                    c = Math.max(c, rc) + 1;
                } else if (l == lOld) {
                    c = c + 1;
                } else if (l == rl) {
                    c = rc + 1;
                } else {
                    c = 0;
                }
            }
            if (c > Hlc.MAX_COUNTER) { // overflow: next logical millisecond
                l = l + 1;
                c = 0;
            }
            assertThat(Hlc.toString(actual)).as("seed %d, step %d", seed, i).isEqualTo(Hlc.toString(Hlc.pack(l, c)));
        }
    }

    @Test
    void staysMonotonicWhenThePhysicalClockStepsBack() {
        HlcClock hlc = new HlcClock(clock);
        long a = hlc.now();

        clock.advance(-1);
        long b = hlc.now();
        clock.advance(-10_000);
        long c = hlc.now();
        long d = hlc.receive(Hlc.pack(T - 20_000, 3));
        clock.set(T + 1);
        long e = hlc.now();

        assertThat(new long[] {a, b, c, d, e})
                .containsExactly(Hlc.pack(T, 0), Hlc.pack(T, 1), Hlc.pack(T, 2), Hlc.pack(T, 3), Hlc.pack(T + 1, 0));
    }

    @Test
    void counterOverflowAdvancesTheLogicalMillisecondInsteadOfWrapping() {
        HlcClock hlc = new HlcClock(clock); // the clock never moves by itself
        long last = -1;
        for (int i = 0; i <= Hlc.MAX_COUNTER; i++) {
            long ts = hlc.now();
            assertThat(ts).isGreaterThan(last);
            last = ts;
        }
        assertThat(last).isEqualTo(Hlc.pack(T, 65_535));

        assertThat(hlc.now()).isEqualTo(Hlc.pack(T + 1, 0));
        clock.advance(1);
        assertThat(hlc.now()).isEqualTo(Hlc.pack(T + 1, 1));
    }

    @Test
    void rejectsARemoteTimestampTooFarAheadAndLeavesTheClockUnchanged() {
        HlcClock hlc = new HlcClock(clock);
        assertThat(hlc.maxSkew()).isEqualTo(Duration.ofSeconds(60));
        hlc.now();
        long before = hlc.current();
        long remote = Hlc.pack(T + 61_000, 4);

        assertThatThrownBy(() -> hlc.receive(remote))
                .isInstanceOfSatisfying(
                        ShuttleException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CLOCK_SKEW))
                .hasMessageContaining("2026-05-01T08:01:01.000Z#0004")
                .hasMessageContaining("61.000 s ahead of this node's clock (2026-05-01T08:00:00.000Z)")
                .hasMessageContaining("accepted skew of 60.000 s")
                .hasMessageContaining("not advanced")
                .hasMessageContaining("NTP");

        assertThat(hlc.current()).isEqualTo(before);
        assertThat(hlc.now()).isEqualTo(Hlc.pack(T, 1));
    }

    @Test
    void acceptsARemoteTimestampExactlyAtTheBound() {
        HlcClock hlc = new HlcClock(clock, Duration.ofSeconds(5));

        assertThat(hlc.receive(Hlc.pack(T + 5_000, 0))).isEqualTo(Hlc.pack(T + 5_000, 1));
        assertThatThrownBy(() -> hlc.receive(Hlc.pack(T + 5_001, 0)))
                .isInstanceOfSatisfying(
                        ShuttleException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CLOCK_SKEW))
                .hasMessageContaining("5.001 s ahead")
                .hasMessageContaining("accepted skew of 5.000 s");
    }

    @Test
    void observeFastForwardsWithoutASkewCheck() {
        HlcClock hlc = new HlcClock(clock);
        long persisted = Hlc.pack(T + Duration.ofDays(1).toMillis(), 9); // far beyond the 60 s skew bound

        assertThat(hlc.observe(persisted)).isEqualTo(persisted);
        assertThat(hlc.observe(Hlc.pack(T, 0))).isEqualTo(persisted); // older values change nothing
        assertThat(hlc.now()).isEqualTo(persisted + 1);
        assertThatThrownBy(() -> hlc.observe(-5)).isInstanceOf(ShuttleException.class);
    }

    @Test
    void rejectsInvalidArguments() {
        assertThatThrownBy(() -> new HlcClock(clock, Duration.ofSeconds(-1)))
                .isInstanceOfSatisfying(
                        ShuttleException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        assertThatThrownBy(() -> new HlcClock(clock).receive(-1))
                .isInstanceOfSatisfying(
                        ShuttleException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        clock.set(-1);
        assertThatThrownBy(() -> new HlcClock(clock).now())
                .isInstanceOf(ShuttleException.class)
                .hasMessageContaining("Check the system clock");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void timestampsFromFourThreadsAreUniqueAndIncreasingPerThread() throws Exception {
        HlcClock hlc = new HlcClock(MillisClock.system());
        int threads = 4;
        int perThread = 100_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<long[]>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                boolean receiving = t % 2 == 1; // half the threads feed their last timestamp back in
                futures.add(pool.submit(() -> {
                    long[] mine = new long[perThread];
                    for (int i = 0; i < perThread; i++) {
                        mine[i] = receiving && i > 0 ? hlc.receive(mine[i - 1]) : hlc.now();
                    }
                    return mine;
                }));
            }
            long[][] all = new long[threads][];
            for (int t = 0; t < threads; t++) {
                all[t] = futures.get(t).get(60, TimeUnit.SECONDS);
                for (int i = 1; i < perThread; i++) {
                    if (all[t][i] <= all[t][i - 1]) {
                        throw new AssertionError("thread " + t + " saw " + all[t][i] + " after " + all[t][i - 1]);
                    }
                }
            }
            assertThat(Arrays.stream(all)
                            .flatMapToLong(Arrays::stream)
                            .distinct()
                            .count())
                    .isEqualTo((long) threads * perThread);
        } finally {
            pool.shutdownNow();
        }
    }
}
