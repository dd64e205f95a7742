package io.shuttlebridge.bridge.internal.schedule;

import io.shuttlebridge.bridge.RunOptions;
import io.shuttlebridge.bridge.definition.ScheduleSpec;
import java.time.Instant;

/**
 * Decides whether an entity runs at a tick: only inside its window; an open pass (paused or
 * interrupted) resumes first; a new pass starts when the last one completed at least {@code every}
 * ago; each window processes at most {@code rows_per_window} source records, so a large table is
 * spread over several windows and days.
 */
public final class SchedulePlanner {
    private SchedulePlanner() {}

    public static TimeWindow window(ScheduleSpec spec) {
        return new TimeWindow(spec.windowStart(), spec.windowEnd(), spec.zone());
    }

    /**
     * @param rowsThisWindow source records already processed in the window containing {@code now}
     * @param lastComplete when the entity's last pass completed, or null
     * @param resetAt when the schedule was last reset, or null
     */
    public static ScheduleDecision decide(
            ScheduleSpec spec,
            Instant now,
            boolean passOpen,
            long rowsThisWindow,
            Instant lastComplete,
            Instant resetAt) {
        TimeWindow window = window(spec);
        if (!window.contains(now)) {
            return new ScheduleDecision.Wait(
                    "outside the window " + window + " " + spec.zone() + ", next opens at " + window.nextOpening(now));
        }
        long budget = 0;
        if (spec.rowsPerWindow() > 0) {
            budget = spec.rowsPerWindow() - rowsThisWindow;
            if (budget <= 0) {
                return new ScheduleDecision.Wait("this window's budget of " + spec.rowsPerWindow() + " rows is used");
            }
        }
        boolean due = passOpen
                || lastComplete == null
                || (resetAt != null && resetAt.isAfter(lastComplete))
                || !lastComplete.plus(spec.every()).isAfter(now);
        if (!due) {
            return new ScheduleDecision.Wait(
                    "last pass completed at " + lastComplete + ", next due at " + lastComplete.plus(spec.every()));
        }
        return new ScheduleDecision.Run(new RunOptions(false, budget, window.closesAt(now), "schedule"));
    }
}
