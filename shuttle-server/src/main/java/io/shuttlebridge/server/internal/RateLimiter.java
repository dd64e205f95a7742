package io.shuttlebridge.server.internal;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.id.MillisClock;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One token bucket per caller: a bucket holds up to {@code burst} requests and refills at {@code
 * perSecond} requests a second; a request takes one, and a caller whose bucket is empty is told how
 * many whole seconds to wait. Memory is bounded: a bucket left alone long enough to be full again is
 * the same as a new one and is dropped, and past {@code maxKeys} callers the one idle longest is
 * dropped (it starts again with a full bucket).
 */
public final class RateLimiter {
    /** Callers tracked at most (about 100 bytes each). */
    public static final int DEFAULT_MAX_KEYS = 100_000;

    private final int perSecond;
    private final int burst;
    private final long refillMillis;
    private final int maxKeys;
    private final MillisClock clock;
    private final ReentrantLock lock = new ReentrantLock();
    /** In access order: the first buckets are the ones idle longest. */
    private final LinkedHashMap<String, Bucket> buckets = new LinkedHashMap<>(64, 0.75f, true);

    private static final class Bucket {
        double tokens;
        long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }
    }

    public RateLimiter(int perSecond, int burst, MillisClock clock) {
        this(perSecond, burst, clock, DEFAULT_MAX_KEYS);
    }

    public RateLimiter(int perSecond, int burst, MillisClock clock, int maxKeys) {
        if (perSecond <= 0) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT, "the rate limit must be at least 1 request a second, got " + perSecond);
        }
        if (burst <= 0) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT, "the burst must be at least 1 request, got " + burst);
        }
        if (maxKeys <= 0) {
            throw new ShuttleException(ErrorCode.INVALID_ARGUMENT, "maxKeys must be positive, got " + maxKeys);
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.refillMillis = (long) Math.ceil(burst * 1000.0 / perSecond);
        this.maxKeys = maxKeys;
        this.clock = clock;
    }

    /**
     * Takes one request from {@code key}'s bucket.
     *
     * @return 0 when the request may go on, else the whole seconds (at least 1) after which the
     *     bucket holds a request again
     */
    public long acquire(String key) {
        long now = clock.millis();
        lock.lock();
        try {
            dropIdle(now);
            Bucket b = buckets.get(key);
            if (b == null) {
                if (buckets.size() >= maxKeys) {
                    Iterator<Bucket> eldest = buckets.values().iterator();
                    eldest.next();
                    eldest.remove();
                }
                b = new Bucket(burst, now);
                buckets.put(key, b);
            } else if (now > b.at) {
                b.tokens = Math.min(burst, b.tokens + (now - b.at) * (double) perSecond / 1000.0);
                b.at = now;
            }
            if (b.tokens >= 1) {
                b.tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - b.tokens) / perSecond));
        } finally {
            lock.unlock();
        }
    }

    /** Callers tracked now. */
    public int size() {
        lock.lock();
        try {
            return buckets.size();
        } finally {
            lock.unlock();
        }
    }

    /** Drops the buckets, idle longest first, that have been idle long enough to be full again. */
    private void dropIdle(long now) {
        Iterator<Map.Entry<String, Bucket>> it = buckets.entrySet().iterator();
        while (it.hasNext()) {
            Bucket b = it.next().getValue();
            if (now - b.at < refillMillis) {
                return;
            }
            it.remove();
        }
    }
}
