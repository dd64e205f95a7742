package io.shuttlebridge.core;

import java.sql.SQLException;

/**
 * The one unchecked root exception of Shuttle Bridge. Every failure carries an {@link ErrorCode}
 * and a message written for the person who has to act on it.
 */
public class ShuttleException extends RuntimeException {
    private final ErrorCode code;

    public ShuttleException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ShuttleException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    /** Wraps a JDBC error, keeping the driver's SQLState and vendor code in the message. */
    public static ShuttleException database(String doing, SQLException e) {
        String state = e.getSQLState() == null ? "" : " [SQLState " + e.getSQLState() + "]";
        return new ShuttleException(ErrorCode.DATABASE, doing + ": " + e.getMessage() + state, e);
    }
}
