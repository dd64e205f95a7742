package io.shuttlebridge.server.auth;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;

/** The refusals every authenticator shares. */
final class Unauthorized {
    private Unauthorized() {}

    static ShuttleException missing() {
        return new ShuttleException(
                ErrorCode.UNAUTHORIZED, "a bearer token is required: send 'Authorization: Bearer <token>'");
    }

    static ShuttleException because(String rule) {
        return new ShuttleException(ErrorCode.UNAUTHORIZED, "token refused: " + rule);
    }

    static ShuttleException because(String rule, Throwable cause) {
        return new ShuttleException(ErrorCode.UNAUTHORIZED, "token refused: " + rule, cause);
    }
}
