package io.shuttlebridge.bridge;

/** Where one entity stands: stored identities, the open pass, and what waits for attention. */
public record EntityStatus(
        String entity,
        String table,
        String highWater,
        boolean passOpen,
        long passRows,
        long stateRows,
        long openDeadLetters,
        long pendingChildren,
        BatchReport lastBatch) {}
