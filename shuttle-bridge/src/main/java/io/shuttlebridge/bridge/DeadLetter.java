package io.shuttlebridge.bridge;

import java.time.Instant;

/**
 * A record that could not be ingested, with every payload known when it failed (JSON text; null for
 * stages not reached), the failing stage and rule, and the attempts so far.
 */
public record DeadLetter(
        long id,
        String entity,
        Long batchId,
        String stage,
        String rule,
        String error,
        String recordKey,
        String raw,
        String normalized,
        String mapped,
        int attempts,
        Status status,
        Instant createdAt,
        Instant updatedAt) {

    public enum Status {
        /** Waiting for a fix and a retry. */
        OPEN,
        /** Ingested later (by a retry or because the source sent a good version). */
        RESOLVED,
        /** Given up on by an operator. */
        DISCARDED
    }
}
