package io.shuttlebridge.bridge;

import java.time.Instant;

/**
 * An entity's schedule and where its background sync stands.
 *
 * @param window {@code HH:MM-HH:MM} in {@code zone}
 * @param inWindow whether the window is open now
 * @param nextChange when the window next opens (if closed) or closes (if open)
 * @param passOpen a pass is under way (paused at a window end, or interrupted) and will resume
 * @param passRows source records processed so far in the open pass
 */
public record ScheduleStatus(
        String entity,
        String window,
        String zone,
        String every,
        long rowsPerWindow,
        boolean inWindow,
        Instant nextChange,
        boolean passOpen,
        long passRows,
        Instant lastCompleteAt,
        Long lastBatchId,
        BatchOutcome lastOutcome) {}
