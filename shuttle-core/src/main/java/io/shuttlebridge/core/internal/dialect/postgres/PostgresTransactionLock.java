package io.shuttlebridge.core.internal.dialect.postgres;

import io.shuttlebridge.core.internal.dialect.TransactionLock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** A transaction-scoped advisory lock keyed by the lock class and the schema's hash: the transaction's end lets it go. */
final class PostgresTransactionLock implements TransactionLock {
    static final PostgresTransactionLock INSTANCE = new PostgresTransactionLock();

    private PostgresTransactionLock() {}

    @Override
    public void take(Connection c, int lockClass) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?, hashtext(current_schema()))")) {
            ps.setInt(1, lockClass);
            ps.execute();
        }
    }

    @Override
    public void release(Connection c, int lockClass) {}
}
