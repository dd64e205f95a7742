package io.shuttlebridge.server.internal;

import io.shuttlebridge.core.ErrorCode;

/** The HTTP status of each error code. */
public final class ErrorMapping {
    private ErrorMapping() {}

    public static int status(ErrorCode code) {
        return switch (code) {
            case INVALID_ARGUMENT, MALFORMED_PAYLOAD, CLOCK_SKEW, ID_GENERATION -> 400;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case RESYNC_REQUIRED, CONFLICT, RESOURCE_EXHAUSTED -> 409;
            case UNSUPPORTED_SCHEMA, NOT_INITIALIZED -> 422;
            case UNAVAILABLE -> 503;
            case DATABASE, TRANSPORT, INTERNAL -> 500;
        };
    }
}
