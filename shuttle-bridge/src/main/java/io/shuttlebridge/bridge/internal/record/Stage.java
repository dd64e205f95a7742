package io.shuttlebridge.bridge.internal.record;

/** The nine pipeline stages, in order. */
public enum Stage {
    FETCH,
    NORMALIZE,
    VALIDATE,
    MAP,
    IDENTITY,
    DELTA,
    RESOLVE,
    INGEST,
    TRACK
}
