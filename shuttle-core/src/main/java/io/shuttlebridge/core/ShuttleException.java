package io.shuttlebridge.core;

import java.sql.SQLException;

/**
 * The one unchecked root exception of Shuttle Bridge. Every failure carries an {@link ErrorCode}
 * and a message written for the person who has to act on it.
 */
public class ShuttleException extends RuntimeException {
    private static final long serialVersionUID = 1L;

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

    /**
     * Wraps a JDBC error that happened while {@code doing} something: a {@link DatabaseException}
     * that says what kind of failure it was, keeping the driver's SQLState in the message.
     */
    public static DatabaseException database(String doing, SQLException e) {
        return DatabaseException.of(doing, e);
    }
}
