package io.shuttlebridge.bridge;

import java.time.Instant;

/** A child record waiting for its parent row to arrive in the target. */
public record PendingChild(
        long id,
        String entity,
        String bkHash,
        String parentTable,
        String parentKey,
        int attempts,
        Instant nextAttemptAt,
        String reason,
        Instant createdAt) {}
