package io.shuttlebridge.core.protocol;

import io.shuttlebridge.core.sync.SyncEngine;

/**
 * What a hub takes in one push, as {@code GET /v1/schema} announces it under {@code limits}: a
 * device keeps each push request within both, whatever its page size.
 *
 * @param maxBatch changes per push
 * @param maxBodyBytes bytes of a request body
 */
public record HubLimits(int maxBatch, long maxBodyBytes) {
    /** Bytes of a request body a hub takes unless configured otherwise. */
    public static final long DEFAULT_MAX_BODY_BYTES = 32L * 1024 * 1024;

    /** What a hub takes unless configured otherwise, and what one that does not announce its limits is taken to take. */
    public static final HubLimits DEFAULT = new HubLimits(SyncEngine.DEFAULT_MAX_BATCH, DEFAULT_MAX_BODY_BYTES);

    public HubLimits {
        if (maxBatch <= 0 || maxBodyBytes <= 0) {
            throw new IllegalArgumentException(
                    "limits must be positive: maxBatch " + maxBatch + ", maxBodyBytes " + maxBodyBytes);
        }
    }
}
