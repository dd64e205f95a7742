package io.shuttlebridge.bridge;

import java.time.Instant;

/**
 * How to run one batch.
 *
 * @param fullPass read the whole source even when an incremental pass is possible (deletes are reconciled at its end)
 * @param maxRows stop (paused) after this many source records; 0 for no limit
 * @param deadline stop (paused) at the first chunk boundary at or after this instant; null for none
 * @param trigger what started the batch, recorded with it
 */
public record RunOptions(boolean fullPass, long maxRows, Instant deadline, String trigger) {
    public static final RunOptions DEFAULT = new RunOptions(false, 0, null, "manual");

    public static RunOptions full() {
        return new RunOptions(true, 0, null, "manual");
    }
}
