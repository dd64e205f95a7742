package io.shuttlebridge.core.internal.sync;

import io.shuttlebridge.core.DatabaseException;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the hub's database said when it refused one pushed change, as the rejected write's code and
 * message: a constraint ({@link ErrorCode#CONSTRAINT}, naming it as the database does), a value too
 * large for its column ({@link ErrorCode#VALUE_TOO_LARGE}, naming the column) or one the column cannot
 * take ({@link ErrorCode#INVALID_VALUE}). Only the database's first line is kept: PostgreSQL's detail
 * lines can show values of other rows. Internal.
 */
final class DatabaseRefusal {
    /** SQLite's result code and message: {@code [SQLITE_CONSTRAINT_CHECK] A CHECK constraint failed (CHECK constraint failed: x)}. */
    private static final Pattern SQLITE = Pattern.compile("\\[(SQLITE_[A-Z_]+)\\][^(]*\\((.*)\\)\\s*", Pattern.DOTALL);

    private DatabaseRefusal() {}

    /**
     * Whether a failure is the database refusing the data itself (a constraint, a value), which the same
     * batch meets again whenever it is sent, rather than a passing one or a fault of the hub.
     */
    static boolean permanent(DatabaseException.Failure f) {
        return switch (f) {
            case UNIQUE_VIOLATION, FOREIGN_KEY_VIOLATION, CONSTRAINT_VIOLATION, INVALID_VALUE -> true;
            default -> false;
        };
    }

    /** The refusal of {@code ch}, a change of {@code t}, that the database reported as {@code e}. */
    static RefusalReason of(SQLException e, SyncedTable t, Change ch) {
        SQLException said = reported(e);
        String state = said.getSQLState() == null ? "" : said.getSQLState();
        String message = said.getMessage() == null ? "" : said.getMessage();
        Matcher sqlite = SQLITE.matcher(message);
        String code = sqlite.matches() ? sqlite.group(1) : "";
        String reason = firstLine(sqlite.matches() ? sqlite.group(2) : message);
        String row =
                (ch.op() == Op.DELETE ? "the delete of " : "") + "the row of \"" + t.name() + "\" with key " + ch.key();
        DatabaseException.Failure failure = DatabaseException.classify(e);
        if (failure == DatabaseException.Failure.INVALID_VALUE || code.equals("SQLITE_CONSTRAINT_DATATYPE")) {
            String column = ValueFit.firstMisfit(t, ch);
            boolean tooLarge =
                    state.equals("22001") || state.equals("22003") || code.equals("SQLITE_TOOBIG") || column != null;
            if (tooLarge) {
                return new RefusalReason(
                        ErrorCode.VALUE_TOO_LARGE,
                        (column != null ? column : "a value of " + row + " does not fit its column on the hub") + " ("
                                + reason + ")");
            }
            return new RefusalReason(
                    ErrorCode.INVALID_VALUE, "the hub's columns cannot take a value of " + row + ": " + reason);
        }
        return new RefusalReason(ErrorCode.CONSTRAINT, "the hub's database refused " + row + ": " + reason);
    }

    /** The exception in the chain that says what was refused (a batch's own message quotes its statement). */
    private static SQLException reported(SQLException e) {
        SQLException best = e;
        for (SQLException x = e; x != null; x = x.getNextException()) {
            String state = x.getSQLState();
            String message = x.getMessage();
            if ((state != null && (state.startsWith("22") || state.startsWith("23") || state.equals("42804")))
                    || (message != null && message.startsWith("[SQLITE_"))) {
                best = x;
            }
            if (x.getNextException() == x) {
                break;
            }
        }
        if (best.getCause() instanceof SQLException cause && cause.getSQLState() != null) {
            return cause;
        }
        return best;
    }

    /** The database's first line, without PostgreSQL's {@code ERROR:} or its detail, hint and position. */
    private static String firstLine(String message) {
        String s = message.strip();
        int nl = s.indexOf('\n');
        if (nl >= 0) {
            s = s.substring(0, nl).strip();
        }
        if (s.startsWith("ERROR:")) {
            s = s.substring("ERROR:".length()).strip();
        }
        return s;
    }
}
