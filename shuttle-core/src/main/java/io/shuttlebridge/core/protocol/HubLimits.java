package io.shuttlebridge.core.protocol;

/**
 * What a hub takes in one push, as {@code GET /v1/schema} announces it under {@code limits}: a
 * device keeps each push request within both, whatever its page size.
 *
 * @param maxBatch changes per push
 * @param maxBodyBytes bytes of a request body
 */
public record HubLimits(int maxBatch, long maxBodyBytes) {
    /** What a hub that does not announce its limits takes by default. */
    public static final HubLimits DEFAULT = new HubLimits(10_000, 32L * 1024 * 1024);

    public HubLimits {
        if (maxBatch <= 0 || maxBodyBytes <= 0) {
            throw new IllegalArgumentException("limits must be positive: maxBatch " + maxBatch + ", maxBodyBytes " + maxBodyBytes);
        }
    }
}
