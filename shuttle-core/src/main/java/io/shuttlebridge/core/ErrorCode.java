package io.shuttlebridge.core;

/**
 * Stable error codes carried by {@link ShuttleException}, and the codes of the wire protocol's error
 * answers ({@code {"error": {"code", "message"}}}, DESIGN §6). The code names the kind of problem;
 * the message says what was expected, what was found, and what to do. Each code has the one HTTP
 * status a hub answers it with, and a client that meets a status without a code reads it back
 * with {@link #forHttpStatus}.
 */
public enum ErrorCode {
    /** Bad input from a caller: malformed value, out-of-range argument, unknown name. */
    INVALID_ARGUMENT(400),
    /** The payload of a change, batch or bundle is malformed or fails validation. */
    MALFORMED_PAYLOAD(400),
    /** A remote clock is further in the future than the configured skew bound. */
    CLOCK_SKEW(400),
    /** An id generator could not produce an id (clock stuck far in the past, bad shortId). */
    ID_GENERATION(400),
    /** No credentials, or credentials the hub does not accept (missing, wrong or expired token). */
    UNAUTHORIZED(401),
    /** An operation was refused because the caller lacks the right (token, scope). */
    FORBIDDEN(403),
    /** A table, column, endpoint or object the caller named does not exist. */
    NOT_FOUND(404),
    /** A hard limit was reached (every one of the 1024 short ids is leased): waiting alone may not help. */
    RESOURCE_EXHAUSTED(409),
    /**
     * Two databases sync as one node: the hub has moved past the acknowledgement the caller showed, so
     * another copy of its database synced meanwhile (a copied file, or a backup restored while the
     * original kept syncing). The copy must take a new identity ({@code shuttle node reset}).
     */
    NODE_COPIED(409),
    /**
     * The hub has never handed out the acknowledgement the caller showed: it was restored from a backup
     * older than the caller's last sync with it. The device re-pushes its writes and takes the hub's
     * snapshot, and the hub then holds everything it had acknowledged to it.
     */
    HUB_RESTORED(409),
    /** A request body is larger than the hub accepts in one request. */
    PAYLOAD_TOO_LARGE(413),
    /** The schema cannot be synced as it is (no primary key, unsupported type, ...). */
    UNSUPPORTED_SCHEMA(422),
    /** Sync has not been enabled on this database yet. */
    NOT_INITIALIZED(422),
    /**
     * The engine's own tables are in a format this build cannot use: written by a newer release, or
     * by a development build too early to upgrade.
     */
    UNSUPPORTED_FORMAT(422),
    /**
     * A constraint of the hub's database (CHECK, UNIQUE, NOT NULL, a foreign key) refused a pushed
     * change: the code of a rejected write, whose message names the constraint.
     */
    CONSTRAINT(409),
    /**
     * A pushed value does not fit the hub's column (longer than its {@code varchar(n)}, beyond its
     * numeric precision or range): the code of a rejected write, whose message names the column.
     */
    VALUE_TOO_LARGE(422),
    /**
     * A pushed value the hub's column cannot take at all (text in an integer column, a malformed
     * date): the code of a rejected write.
     */
    INVALID_VALUE(422),
    /**
     * A pushed change names a table or column the hub does not sync: the code of a rejected write,
     * whose message names the table or column.
     */
    SCHEMA_MISMATCH(422),
    /**
     * The caller sent more requests than the hub takes from it in a while: the answer's {@code
     * Retry-After} header says after how many seconds to try again.
     */
    RATE_LIMITED(429),
    /** The database reported an error. */
    DATABASE(500),
    /** A transfer failed (network, peer unavailable) and may be retried. */
    TRANSPORT(502),
    /**
     * A resource is busy or gone for a moment (a serialization failure or deadlock, a lost database
     * connection, the service shutting down): the same request may succeed when retried.
     */
    UNAVAILABLE(503),
    /** An internal invariant was broken: a bug. */
    INTERNAL(500);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    /** The HTTP status a hub answers with when a request fails with this code. */
    public int httpStatus() {
        return httpStatus;
    }

    /**
     * The code for an HTTP error status that came without a code of its own (from a proxy, say, or a
     * framework's default answer): the first code with that status, else {@link #TRANSPORT} for a
     * server-side status and {@link #INVALID_ARGUMENT} for any other.
     */
    public static ErrorCode forHttpStatus(int status) {
        for (ErrorCode c : values()) {
            if (c.httpStatus == status) {
                return c;
            }
        }
        return switch (status) {
            case 405 -> NOT_FOUND; // no such method on the path: for a client, the same mistake
            default -> status >= 500 ? TRANSPORT : INVALID_ARGUMENT;
        };
    }
}
