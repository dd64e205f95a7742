package io.shuttlebridge.core.internal.dialect;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A named lock over one database (schema) that orders transactions of one kind, across the connections of a
 * pool and across hub processes: PostgreSQL's transaction-scoped advisory lock, MariaDB's session-level {@code
 * GET_LOCK}. It is taken inside a transaction, and {@link #release}d on the same connection once that
 * transaction has ended (committed or rolled back), on every path.
 */
public interface TransactionLock {
    /** Waits for the lock {@code lockClass} of the connection's schema and holds it on {@code c}. */
    void take(Connection c, int lockClass) throws SQLException;

    /**
     * Lets go of the lock {@code lockClass} taken on {@code c}, after its transaction ended: nothing where the
     * transaction's end let it go already.
     */
    void release(Connection c, int lockClass) throws SQLException;
}
