package io.shuttlebridge.client;

import io.shuttlebridge.core.internal.DurationText;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How far this device's clock is from its hub's, measured on an answer of the hub, which carries the
 * hub's time ({@code Shuttle-Hub-Time}): the device's time at the middle of the request's round trip
 * minus the hub's. A device whose clock is off by more than the hub's skew bound writes rows stamped
 * that far from the hub's time: ahead, the hub re-stamps them (and says so); behind, they lose to
 * writes made before them.
 *
 * @param offsetMillis this device's clock minus the hub's: positive when this device's clock is ahead
 * @param roundTripMillis the request's round trip, which bounds the measurement's error
 * @param measuredAt this device's time of the measurement
 * @param hubBound the hub's clock skew bound, as its schema announces it
 */
public record ClockOffset(long offsetMillis, long roundTripMillis, Instant measuredAt, Duration hubBound) {
    public ClockOffset {
        Objects.requireNonNull(measuredAt, "measuredAt");
        Objects.requireNonNull(hubBound, "hubBound");
    }

    /** Whether this device's clock is further from the hub's than the hub's bound, either way. */
    public boolean beyondBound() {
        return Math.abs(offsetMillis) > hubBound.toMillis();
    }

    /** One line: how far off this device's clock is, which way, and what to do when it is beyond the bound. */
    public String describe() {
        String how = offsetMillis == 0
                ? "this device's clock agrees with the hub's"
                : "this device's clock is " + DurationText.of(offsetMillis)
                        + (offsetMillis > 0 ? " ahead of" : " behind") + " the hub's";
        if (!beyondBound()) {
            return how + " (within the hub's skew bound of " + DurationText.of(hubBound.toMillis()) + ")";
        }
        return how + ", more than the hub's skew bound of " + DurationText.of(hubBound.toMillis())
                + (offsetMillis > 0
                        ? ": the hub re-stamps the rows it writes to its own clock"
                        : ": the rows it writes lose to writes made before them elsewhere")
                + "; fix this device's clock (NTP)";
    }
}
