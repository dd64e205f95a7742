package io.shuttlebridge.bridge;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * One batch: one run of an entity's pipeline, committed in chunks.
 *
 * @param trigger what started it: {@code manual}, {@code schedule}, {@code retry}
 * @param fullPass true when the batch belongs to a complete pass over the source (deletes can be reconciled)
 * @param passComplete true when the pass ended in this batch
 * @param stageMillis time spent per stage (fetch, normalize, validate, map, identity, delta, resolve, ingest, track)
 */
public record BatchReport(
        long id,
        String entity,
        String trigger,
        BatchOutcome outcome,
        String error,
        Instant startedAt,
        Instant finishedAt,
        boolean fullPass,
        boolean passComplete,
        BatchCounts counts,
        Map<String, Long> stageMillis,
        double rowsPerSecond) {

    public Duration elapsed() {
        return finishedAt == null ? null : Duration.between(startedAt, finishedAt);
    }
}
