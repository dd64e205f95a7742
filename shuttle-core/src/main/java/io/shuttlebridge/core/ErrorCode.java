package io.shuttlebridge.core;

/**
 * Stable error codes carried by {@link ShuttleException}. The code names the kind of problem; the
 * message says what was expected, what was found, and what to do.
 */
public enum ErrorCode {
    /** Bad input from a caller: malformed value, out-of-range argument, unknown name. */
    INVALID_ARGUMENT,
    /** A table, column or object the caller named does not exist. */
    NOT_FOUND,
    /** The schema cannot be synced as it is (no primary key, unsupported type, ...). */
    UNSUPPORTED_SCHEMA,
    /** Sync has not been enabled on this database yet. */
    NOT_INITIALIZED,
    /** A remote clock is further in the future than the configured skew bound. */
    CLOCK_SKEW,
    /** An id generator could not produce an id (clock stuck far in the past, bad shortId). */
    ID_GENERATION,
    /** The payload of a change, batch or bundle is malformed or fails validation. */
    MALFORMED_PAYLOAD,
    /** The peer's cursor is behind the purge horizon: it must resync from a snapshot. */
    RESYNC_REQUIRED,
    /** A conflict needs a decision (manual policy). */
    CONFLICT,
    /** The database reported an error. */
    DATABASE,
    /** An operation was refused because the caller lacks the right (token, scope). */
    FORBIDDEN,
    /** A transfer failed (network, peer unavailable) and may be retried. */
    TRANSPORT,
    /** A limited resource is used up (every short id leased, the service shutting down): retry later. */
    UNAVAILABLE,
    /** A hard limit was reached (every one of the 1024 short ids is leased): waiting alone may not help. */
    RESOURCE_EXHAUSTED,
    /** An internal invariant was broken: a bug. */
    INTERNAL
}
