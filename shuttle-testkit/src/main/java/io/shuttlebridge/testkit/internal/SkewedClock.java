package io.shuttlebridge.testkit.internal;

import io.shuttlebridge.core.id.MillisClock;

/**
 * One node's clock in a simulation: the simulation's clock plus an offset of the node's own, which
 * the schedule may change (a clock that jumps, forwards or back). Thread-safe.
 */
public final class SkewedClock implements MillisClock {
    private final MillisClock base;
    private volatile long offsetMillis;

    public SkewedClock(MillisClock base, long offsetMillis) {
        this.base = base;
        this.offsetMillis = offsetMillis;
    }

    @Override
    public long millis() {
        return base.millis() + offsetMillis;
    }

    public long offsetMillis() {
        return offsetMillis;
    }

    /** Sets the offset from the simulation's clock: the node's clock jumps by the difference. */
    public void offset(long millis) {
        offsetMillis = millis;
    }

    @Override
    public String toString() {
        return "SkewedClock[" + instant() + ", offset " + offsetMillis + " ms]";
    }
}
