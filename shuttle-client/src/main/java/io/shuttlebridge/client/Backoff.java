package io.shuttlebridge.client;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter: attempt {@code n} waits a random time between zero and
 * {@code min(max, initial * 2^n)}, so that devices reconnecting after an outage do not come back
 * in lockstep.
 *
 * @param initial the ceiling of the first wait
 * @param max the largest ceiling
 * @param attempts how many tries in all (1 = no retry)
 */
public record Backoff(Duration initial, Duration max, int attempts) {
    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(5), 6);
    public static final Backoff NONE = new Backoff(Duration.ZERO, Duration.ZERO, 1);

    public Backoff {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, got " + attempts);
        }
    }

    /** The wait before retry number {@code retry} (0-based). */
    public Duration delay(int retry) {
        long ceiling = Math.min(max.toMillis(), initial.toMillis() << Math.min(retry, 20));
        return ceiling <= 0
                ? Duration.ZERO
                : Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling + 1));
    }

    /** How a wait is spent; tests replace it to move on without sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        Sleeper REAL = d -> Thread.sleep(d.toMillis());

        void sleep(Duration d) throws InterruptedException;
    }
}
