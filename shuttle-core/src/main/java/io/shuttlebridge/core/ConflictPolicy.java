package io.shuttlebridge.core;

import java.util.Locale;

/** How concurrent changes to one row are resolved; declared per table, default {@link #LWW}. */
public enum ConflictPolicy {
    /** Higher (hlc, origin) wins for the whole row; deletes are ordinary writes with an hlc. */
    LWW,
    /** Per-column last-writer-wins: edits to different columns of one row both survive. */
    FIELD_LWW,
    /** Optimistic concurrency at the hub: a change made on a stale base is rejected and recorded. */
    VERSION_STRICT,
    /** Concurrent changes are kept as a conflict record until someone resolves it. */
    MANUAL,
    /** A registered {@code ConflictResolver} decides. */
    CUSTOM;

    public static ConflictPolicy parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT,
                    "unknown conflict policy '" + text
                            + "': expected one of LWW, FIELD_LWW, VERSION_STRICT, MANUAL, CUSTOM",
                    e);
        }
    }
}
