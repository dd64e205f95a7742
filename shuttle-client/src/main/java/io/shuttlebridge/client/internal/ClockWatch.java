package io.shuttlebridge.client.internal;

import io.shuttlebridge.client.ClockOffset;
import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.core.ShuttleDatabase;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After each sync of a device: its clock against its hub's, as the hub's answers measured it
 * ({@link HttpTransport#clockOffset()}), kept in the device's metadata for {@code shuttle status}, and
 * a warning when it is further off than the hub's skew bound. The metadata is written when the offset
 * moved by a second or more, or a minute after it was last written, so that a live sync does not write
 * it on every sync.
 */
public final class ClockWatch {
    private static final Logger log = LoggerFactory.getLogger(ClockWatch.class);
    private static final long MOVED_MILLIS = 1_000;
    private static final long REWRITE_MILLIS = 60_000;

    private final ShuttleDatabase db;
    private final HttpTransport hub;
    private ClockOffset stored;

    public ClockWatch(ShuttleDatabase db, HttpTransport hub) {
        this.db = db;
        this.hub = hub;
    }

    /** The sync is over: records the offset measured last and returns the warning when it is beyond the bound (not logged). */
    public synchronized Optional<String> measure() {
        Optional<ClockOffset> offset = hub.clockOffset();
        offset.ifPresent(this::store);
        return offset.filter(ClockOffset::beyondBound).map(ClockOffset::describe);
    }

    /** {@link #measure}, the warning logged. */
    public Optional<String> check() {
        Optional<String> warning = measure();
        warning.ifPresent(w -> log.warn("{}", w));
        return warning;
    }

    private void store(ClockOffset o) {
        if (stored != null
                && Math.abs(o.offsetMillis() - stored.offsetMillis()) < MOVED_MILLIS
                && o.measuredAt().toEpochMilli() - stored.measuredAt().toEpochMilli() < REWRITE_MILLIS) {
            return;
        }
        DeviceMeta.putAll(
                db,
                Map.of(
                        DeviceMeta.CLOCK_OFFSET, Long.toString(o.offsetMillis()),
                        DeviceMeta.CLOCK_MEASURED_AT, o.measuredAt().toString(),
                        DeviceMeta.CLOCK_BOUND, Long.toString(o.hubBound().toMillis())));
        stored = o;
    }
}
