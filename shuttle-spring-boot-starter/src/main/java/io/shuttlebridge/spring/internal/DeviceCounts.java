package io.shuttlebridge.spring.internal;

import io.shuttlebridge.core.sync.SyncEngine;
import java.time.Duration;

/**
 * What is waiting on the device, read from its database at most once per {@code maxAge}, so that a
 * scrape of the meters and a health check together cost one read.
 */
final class DeviceCounts {
    /**
     * @param pending changes made here and not yet pushed
     * @param rejected this device's writes the hub refused, not dismissed
     * @param conflicts conflicts waiting to be resolved
     */
    record Counts(long pending, long rejected, long conflicts) {}

    private final DeviceRuntime device;
    private final long maxAgeNanos;
    private Counts last;
    private long readAt;

    DeviceCounts(DeviceRuntime device, Duration maxAge) {
        this.device = device;
        this.maxAgeNanos = maxAge.toNanos();
    }

    /** The next read goes to the database (a sync changed what is pending). */
    synchronized void invalidate() {
        last = null;
    }

    synchronized Counts get() {
        long now = System.nanoTime();
        if (last == null || now - readAt > maxAgeNanos) {
            SyncEngine engine = device.engine();
            last = new Counts(
                    device.pendingChanges(),
                    engine.rejectedWrites(true).size(),
                    engine.conflicts(true).size());
            readAt = now;
        }
        return last;
    }
}
