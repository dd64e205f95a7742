package io.shuttlebridge.bridge.internal.schedule;

import io.shuttlebridge.bridge.RunOptions;

/** What the scheduler decides for one entity at one tick. */
public sealed interface ScheduleDecision {

    /** Run now with these options (window deadline and remaining row budget). */
    record Run(RunOptions options) implements ScheduleDecision {}

    /** Nothing to do now, and why. */
    record Wait(String reason) implements ScheduleDecision {}
}
