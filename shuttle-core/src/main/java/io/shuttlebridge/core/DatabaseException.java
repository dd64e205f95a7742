package io.shuttlebridge.core;

import java.sql.SQLException;
import java.util.Locale;

/**
 * A database refused or failed an operation. {@link #failure()} says what kind of failure it was,
 * read from the driver's SQLState (or, for SQLite, its result code) in one place, so callers branch
 * on meaning, never on a product's codes; the driver's exception is the cause, with its SQLState
 * and vendor code kept in the message.
 */
public final class DatabaseException extends ShuttleException {
    private static final long serialVersionUID = 1L;

    /** The kinds of database failure the engine tells apart. */
    public enum Failure {
        /** A row with the same unique or primary key value exists. */
        UNIQUE_VIOLATION,
        /** A row refers to a parent row that does not exist, or a parent row still has children. */
        FOREIGN_KEY_VIOLATION,
        /** Another integrity constraint refused the row (NOT NULL, CHECK, exclusion). */
        CONSTRAINT_VIOLATION,
        /** A value does not fit its column: the wrong type, out of range, too long. */
        INVALID_VALUE,
        /** The transaction lost a race (serialization failure, deadlock, a busy or locked database): retry it. */
        SERIALIZATION_FAILURE,
        /** The connection to the database was lost or the server is shutting down: retry on a new connection. */
        CONNECTION_LOST,
        /** Any other failure. */
        OTHER;

        /** Whether running the same work again may succeed. */
        public boolean transientFailure() {
            return this == SERIALIZATION_FAILURE || this == CONNECTION_LOST;
        }
    }

    private final Failure failure;
    private final String sqlState;

    private DatabaseException(String message, Failure failure, String sqlState, SQLException cause) {
        super(failure.transientFailure() ? ErrorCode.UNAVAILABLE : ErrorCode.DATABASE, message, cause);
        this.failure = failure;
        this.sqlState = sqlState;
    }

    /** Wraps a JDBC error that happened while {@code doing} something, classified by {@link #classify}. */
    public static DatabaseException of(String doing, SQLException e) {
        Failure failure = classify(e);
        String state = e.getSQLState() == null ? "" : " [SQLState " + e.getSQLState() + "]";
        String kind = failure == Failure.OTHER
                ? ""
                : " (" + failure.name().toLowerCase(Locale.ROOT).replace('_', ' ') + ")";
        return new DatabaseException(doing + ": " + e.getMessage() + state + kind, failure, e.getSQLState(), e);
    }

    /** What kind of failure the driver reported. */
    public Failure failure() {
        return failure;
    }

    /** The driver's SQLState, or null when it gave none (SQLite's driver gives none). */
    public String sqlState() {
        return sqlState;
    }

    /**
     * The kind of a JDBC failure: by SQLState class (SQL standard and PostgreSQL: {@code 23505} unique,
     * {@code 23503} foreign key, other {@code 23} integrity, {@code 22} data exceptions and {@code 42804}
     * (PostgreSQL's datatype mismatch) an invalid value, {@code 40001}/{@code 40P01} serialization
     * and deadlock, {@code 08} connection, {@code 57P01..57P03} shutdown), by MySQL/MariaDB vendor code
     * where the SQLState class is shared ({@code 23000}, and {@code HY000}: {@code 1205}, a lock wait timeout,
     * is retried as a deadlock ({@code 1213}, {@code 40001}) is), and by the SQLite result code the SQLite driver
     * puts at the start of its messages ({@code [SQLITE_CONSTRAINT_UNIQUE]}, {@code [SQLITE_BUSY]}); a {@link
     * java.sql.SQLTransientConnectionException} without a SQLState (a connection pool that had none free within
     * its timeout) is a lost connection.
     * Chained exceptions (a batch's next exception) are classified by the first that says something.
     */
    public static Failure classify(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            Failure f = classifyOne(x);
            if (f != Failure.OTHER) {
                return f;
            }
            if (x.getNextException() == x) {
                break;
            }
        }
        return Failure.OTHER;
    }

    private static Failure classifyOne(SQLException e) {
        String state = e.getSQLState();
        if ("0A000".equals(state)
                && e.getMessage() != null
                && e.getMessage().contains("cached plan must not change result type")) {
            // PostgreSQL, after a table's columns changed under a statement the driver had prepared: the
            // driver prepares it again when the transaction runs again
            return Failure.SERIALIZATION_FAILURE;
        }
        if (state != null && state.length() == 5) {
            Failure f = bySqlState(state, e.getErrorCode());
            if (f != Failure.OTHER) {
                return f;
            }
        }
        String message = e.getMessage();
        if (message != null && message.startsWith("[SQLITE_")) {
            return bySqliteCode(message.substring(1, Math.max(1, message.indexOf(']'))));
        }
        if (e instanceof java.sql.SQLTransientConnectionException) {
            return Failure.CONNECTION_LOST; // no connection to be had for now: a pool's timeout, with no SQLState
        }
        return Failure.OTHER;
    }

    private static Failure bySqlState(String state, int vendorCode) {
        return switch (state) {
            case "23505" -> Failure.UNIQUE_VIOLATION;
            case "23503" -> Failure.FOREIGN_KEY_VIOLATION;
            case "40001", "40P01" -> Failure.SERIALIZATION_FAILURE;
            case "57P01", "57P02", "57P03" -> Failure.CONNECTION_LOST;
            case "23000" ->
                switch (vendorCode) { // MySQL and MariaDB share one integrity SQLState
                    case 1062, 1586 -> Failure.UNIQUE_VIOLATION;
                    case 1216, 1217, 1451, 1452 -> Failure.FOREIGN_KEY_VIOLATION;
                    default -> Failure.CONSTRAINT_VIOLATION;
                };
            case "42804" -> Failure.INVALID_VALUE;
            case "HY000" ->
                switch (vendorCode) { // MySQL and MariaDB
                    case 1366 -> Failure.INVALID_VALUE; // incorrect value
                    case 1205 -> Failure.SERIALIZATION_FAILURE; // lock wait timeout: the whole transaction again
                    default -> Failure.OTHER;
                };
            default -> {
                if (state.startsWith("23")) {
                    yield Failure.CONSTRAINT_VIOLATION;
                }
                if (state.startsWith("08")) {
                    yield Failure.CONNECTION_LOST;
                }
                if (state.startsWith("22")) {
                    yield Failure.INVALID_VALUE;
                }
                yield Failure.OTHER;
            }
        };
    }

    private static Failure bySqliteCode(String code) {
        if (code.equals("SQLITE_CONSTRAINT_UNIQUE") || code.equals("SQLITE_CONSTRAINT_PRIMARYKEY")) {
            return Failure.UNIQUE_VIOLATION;
        }
        if (code.equals("SQLITE_CONSTRAINT_FOREIGNKEY")) {
            return Failure.FOREIGN_KEY_VIOLATION;
        }
        if (code.startsWith("SQLITE_CONSTRAINT")) {
            return Failure.CONSTRAINT_VIOLATION;
        }
        if (code.equals("SQLITE_MISMATCH") || code.equals("SQLITE_TOOBIG")) {
            return Failure.INVALID_VALUE;
        }
        if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) {
            return Failure.SERIALIZATION_FAILURE;
        }
        return Failure.OTHER;
    }
}
