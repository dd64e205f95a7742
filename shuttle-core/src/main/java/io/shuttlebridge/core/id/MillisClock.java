package io.shuttlebridge.core.id;

import java.time.Instant;

/**
 * A source of wall-clock time in milliseconds since the Unix epoch.
 *
 * <p>Every component that needs the time takes a {@code MillisClock} instead of calling {@link
 * System#currentTimeMillis()} itself, so that tests can move time explicitly (forwards, backwards,
 * or not at all) instead of sleeping.
 */
@FunctionalInterface
public interface MillisClock {

    /** Returns the current time in milliseconds since 1970-01-01T00:00:00Z. */
    long millis();

    /** Returns the current time as an instant, at millisecond precision. */
    default Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    /** Returns the system wall clock ({@link System#currentTimeMillis()}). */
    static MillisClock system() {
        return System::currentTimeMillis;
    }
}
