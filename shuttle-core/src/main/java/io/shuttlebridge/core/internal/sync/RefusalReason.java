package io.shuttlebridge.core.internal.sync;

import io.shuttlebridge.core.ErrorCode;
import java.util.Objects;

/** Why a hub refuses one pushed change: the code and message its rejected write carries. Internal. */
record RefusalReason(ErrorCode code, String message) {
    RefusalReason {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    /** Refused by the hub's write rules. */
    static RefusalReason forbidden(String message) {
        return new RefusalReason(ErrorCode.FORBIDDEN, message);
    }
}
