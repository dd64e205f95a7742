package io.shuttlebridge.core.internal.dialect;

/**
 * The product-specific SQL behind change capture, one object per dialect ({@link Dialect#capture()}).
 * Each of its roles is an interface of its own, implemented by a part of its own and put together
 * by {@link #of}: the metadata objects, the triggers, the feed keys, the capture log and its fold,
 * the apply bracket (no echo) and the local clock.
 */
public interface CaptureSql extends MetadataObjects, CaptureTriggers, FeedKeys, CaptureLog, ApplyBracket, CaptureClock {

    /** The capture SQL made of one part per role. */
    static CaptureSql of(
            MetadataObjects metadata,
            CaptureTriggers triggers,
            FeedKeys keys,
            CaptureLog log,
            ApplyBracket apply,
            CaptureClock clock) {
        return new CaptureParts(metadata, triggers, keys, log, apply, clock);
    }
}
