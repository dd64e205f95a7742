package io.shuttlebridge.core.internal.dialect.postgres;

import io.shuttlebridge.core.internal.dialect.OneAttempt;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;

/**
 * A plain insert of rows expected to be new, tried under a savepoint: PostgreSQL's speculative
 * insertion for {@code ON CONFLICT} costs markedly more than a plain insert. When one of the rows
 * exists after all (a unique violation: a concurrent write, or a key given twice) the savepoint is
 * rolled back, nothing of the try remains, and the caller writes the rows with its upsert instead.
 * Within {@link OneAttempt} the insert runs without a savepoint, and a row that exists fails the
 * transaction.
 */
final class InsertAsNew {
    /** SQLSTATE of a unique violation. */
    static final String UNIQUE_VIOLATION = "23505";

    /** A plain insert that may raise a unique violation. */
    @FunctionalInterface
    interface Insert {
        void run() throws SQLException;
    }

    private InsertAsNew() {}

    /** Runs the insert; false, with nothing written, when a row it inserts exists. */
    static boolean tried(Connection c, Insert insert) throws SQLException {
        if (OneAttempt.active()) {
            insert.run(); // no savepoint: a row that exists fails the transaction, and its caller goes another way
            return true;
        }
        Savepoint before = c.setSavepoint();
        try {
            insert.run();
        } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw e;
            }
            c.rollback(before);
            return false;
        }
        c.releaseSavepoint(before);
        return true;
    }
}
