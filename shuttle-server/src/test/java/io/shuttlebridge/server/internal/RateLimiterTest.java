package io.shuttlebridge.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shuttlebridge.core.ShuttleException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Token buckets on a clock the test moves: bursts, refills, Retry-After in whole seconds, bounded memory. */
class RateLimiterTest {
    private final AtomicLong now = new AtomicLong(1_000_000);

    @Test
    void aBurstGoesThenOneRequestPerRefill() {
        RateLimiter limiter = new RateLimiter(2, 3, now::get);
        assertThat(limiter.acquire("alice")).isZero();
        assertThat(limiter.acquire("alice")).isZero();
        assertThat(limiter.acquire("alice")).isZero();
        assertThat(limiter.acquire("alice")).isEqualTo(1); // half a second to the next request: 1 s, rounded up
        now.addAndGet(499);
        assertThat(limiter.acquire("alice")).isEqualTo(1);
        now.addAndGet(1);
        assertThat(limiter.acquire("alice")).isZero();
        assertThat(limiter.acquire("alice")).isEqualTo(1);
        now.addAndGet(60_000); // a long pause refills up to the burst, not beyond
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.acquire("alice")).isZero();
        }
        assertThat(limiter.acquire("alice")).isEqualTo(1);
    }

    @Test
    void retryAfterCountsTheWholeSecondsUntilTheNextRequest() {
        RateLimiter limiter = new RateLimiter(1, 1, now::get);
        assertThat(limiter.acquire("a")).isZero();
        assertThat(limiter.acquire("a")).isEqualTo(1);
        now.addAndGet(999);
        assertThat(limiter.acquire("a")).isEqualTo(1);
        now.addAndGet(1);
        assertThat(limiter.acquire("a")).isZero();
    }

    @Test
    void callersHaveBucketsOfTheirOwn() {
        RateLimiter limiter = new RateLimiter(1, 1, now::get);
        assertThat(limiter.acquire("alice")).isZero();
        assertThat(limiter.acquire("alice")).isPositive();
        assertThat(limiter.acquire("bob")).isZero();
    }

    @Test
    void aClockGoingBackRefillsNothing() {
        RateLimiter limiter = new RateLimiter(1, 1, now::get);
        assertThat(limiter.acquire("a")).isZero();
        now.addAndGet(-10_000);
        assertThat(limiter.acquire("a")).isPositive();
    }

    @Test
    void bucketsIdleLongEnoughToBeFullAreDropped() {
        RateLimiter limiter = new RateLimiter(10, 20, now::get); // full again 2 s after the last request
        for (int i = 0; i < 1000; i++) {
            limiter.acquire("caller-" + i);
        }
        assertThat(limiter.size()).isEqualTo(1000);
        now.addAndGet(1_999);
        limiter.acquire("caller-0");
        assertThat(limiter.size()).isEqualTo(1000);
        now.addAndGet(1);
        limiter.acquire("new");
        assertThat(limiter.size()).isEqualTo(2); // caller-0 was used a moment ago, and the new one
    }

    @Test
    void pastTheCapTheCallerIdleLongestStartsOver() {
        RateLimiter limiter = new RateLimiter(1, 1, now::get, 3);
        limiter.acquire("a");
        limiter.acquire("b");
        limiter.acquire("c");
        assertThat(limiter.acquire("b")).isPositive(); // b is now the latest used
        assertThat(limiter.acquire("d")).isZero();
        assertThat(limiter.size()).isEqualTo(3);
        assertThat(limiter.acquire("b")).as("b kept its bucket").isPositive();
        assertThat(limiter.acquire("a")).as("a, idle longest, was dropped").isZero();
    }

    @Test
    void aRateOrBurstBelowOneIsRefused() {
        assertThatThrownBy(() -> new RateLimiter(0, 1, now::get))
                .isInstanceOf(ShuttleException.class)
                .hasMessageContaining("at least 1 request a second, got 0");
        assertThatThrownBy(() -> new RateLimiter(1, 0, now::get))
                .isInstanceOf(ShuttleException.class)
                .hasMessageContaining("burst must be at least 1");
    }
}
