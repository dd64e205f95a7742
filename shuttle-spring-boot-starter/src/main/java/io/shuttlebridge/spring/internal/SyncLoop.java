package io.shuttlebridge.spring.internal;

import io.shuttlebridge.core.sync.SyncReport;
import java.time.Duration;

/** Runs a device's syncs in the background, one at a time. */
interface SyncLoop {
    /** Syncs now on the loop's thread, after the sync running if any, and returns what it did. */
    SyncReport sync();

    /** A sync soon, without waiting. */
    void request();

    /** Whether the hub's stream is open (always false for a loop that does not follow it). */
    boolean connected();

    /** Stops: a sync running finishes (up to {@code timeout}), none starts after. */
    void close(Duration timeout);
}
