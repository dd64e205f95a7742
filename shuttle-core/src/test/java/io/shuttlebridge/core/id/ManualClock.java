package io.shuttlebridge.core.id;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link MillisClock} that only moves when a test moves it. */
final class ManualClock implements MillisClock {
    private final AtomicLong now;

    ManualClock(long unixMillis) {
        this.now = new AtomicLong(unixMillis);
    }

    static ManualClock at(String instant) {
        return new ManualClock(Instant.parse(instant).toEpochMilli());
    }

    @Override
    public long millis() {
        return now.get();
    }

    void set(long unixMillis) {
        now.set(unixMillis);
    }

    void advance(long millis) {
        now.addAndGet(millis);
    }
}
