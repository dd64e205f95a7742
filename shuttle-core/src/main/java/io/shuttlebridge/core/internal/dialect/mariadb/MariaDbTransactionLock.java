package io.shuttlebridge.core.internal.dialect.mariadb;

import io.shuttlebridge.core.internal.dialect.TransactionLock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientException;

/**
 * {@code GET_LOCK} of a name made of the lock class and a hash of the database's name (at most 64 characters, as
 * the server wants): a session-level lock, held until {@code RELEASE_LOCK} (or the session's end), so the caller
 * releases it after the transaction's commit or rollback. A wait longer than {@link #WAIT_SECONDS} fails as a
 * lock wait timeout does ({@code 40001}: the transaction again).
 */
final class MariaDbTransactionLock implements TransactionLock {
    static final MariaDbTransactionLock INSTANCE = new MariaDbTransactionLock();

    static final int WAIT_SECONDS = 50;

    private static final String NAME = "CONCAT('shuttle_', ?, '_', SHA1(COALESCE(DATABASE(), '')))";

    private MariaDbTransactionLock() {}

    @Override
    public void take(Connection c, int lockClass) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT GET_LOCK(" + NAME + ", ?)")) {
            ps.setString(1, Integer.toHexString(lockClass));
            ps.setInt(2, WAIT_SECONDS);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                int got = rs.getInt(1);
                if (rs.wasNull() || got != 1) {
                    throw new SQLTransientException(
                            "waited " + WAIT_SECONDS + " s for the lock " + Integer.toHexString(lockClass)
                                    + " held by another session of this database",
                            "40001");
                }
            }
        }
    }

    @Override
    public void release(Connection c, int lockClass) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT RELEASE_LOCK(" + NAME + ")")) {
            ps.setString(1, Integer.toHexString(lockClass));
            ps.executeQuery().close();
        }
    }
}
