package io.shuttlebridge.server.internal;

import io.shuttlebridge.core.DatabaseException;
import io.shuttlebridge.core.ShuttleException;

/**
 * What a caller is told about a failure: the message of a {@link ShuttleException}, which the code
 * wrote for whoever has to act on it; but of a database failure ({@link DatabaseException}) or an
 * exception nobody expected only their kind, since their messages come from the driver or the JDK
 * (a JDBC URL, a file path, SQL, a class name) and are for the hub's operator, who finds them in the
 * hub's log.
 */
public final class ErrorAnswers {
    private ErrorAnswers() {}

    /** The message to answer {@code e} with. */
    public static String message(ShuttleException e) {
        if (e instanceof DatabaseException d) {
            return d.failure().transientFailure()
                    ? "the hub's database is busy or unreachable for a moment: retry (the hub's log has the details)"
                    : "the hub's database failed on this request (the hub's log has the details)";
        }
        return e.getMessage();
    }

    /** The message to answer an exception the hub did not expect with. */
    public static String unexpected() {
        return "the hub failed on this request (the hub's log has the details)";
    }
}
