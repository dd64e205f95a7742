package io.shuttlebridge.testkit.internal;

import io.shuttlebridge.core.id.MillisClock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one clock of a simulation: it stands still until the schedule moves it, so that every node,
 * and SQLite's 'now' on their connections ({@link SqliteNow}), read the same time at the same step
 * of a run, whatever the real time and however fast the machine. Thread-safe (a hub server's threads
 * read it).
 */
public final class SimulatedClock implements MillisClock {
    /** Where every simulation starts: 2026-01-01T00:00:00Z. */
    public static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private final AtomicLong millis = new AtomicLong(START.toEpochMilli());

    @Override
    public long millis() {
        return millis.get();
    }

    /** Moves the clock forwards by {@code ms} milliseconds (zero or more). */
    public void advance(long ms) {
        if (ms < 0) {
            throw new IllegalArgumentException("a simulated clock only moves forwards, asked for " + ms + " ms");
        }
        millis.addAndGet(ms);
    }

    @Override
    public String toString() {
        return "SimulatedClock[" + instant() + "]";
    }
}
