package io.shuttlebridge.core.internal;

import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.dialect.Dialects;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Several transactions in a row on one connection of a pooled database, taken from the pool once: a
 * request that commits a write and then reads in a transaction of its own (a hub's pull) waits for the
 * pool once, not once per transaction, and holds one connection, not two in turn. Internal.
 */
public final class OneConnection implements AutoCloseable {
    private final ShuttleDatabase db;
    private final Connection c;

    private OneConnection(ShuttleDatabase db, Connection c) {
        this.db = db;
        this.c = c;
    }

    /** A connection of {@code db}'s pool, held until {@link #close}. */
    public static OneConnection of(ShuttleDatabase db) {
        return of(db, 1);
    }

    /**
     * {@link #of(ShuttleDatabase)} waiting up to {@code waits} times the pool's timeout while every connection
     * is busy (not when the database cannot be reached): for work that would rather wait in the pool's queue
     * than be refused and come back at its end.
     */
    public static OneConnection of(ShuttleDatabase db, int waits) {
        DataSource pool = db.dataSource()
                .orElseThrow(() -> new IllegalStateException(db.displayUrl() + " is not served by a pool"));
        try {
            Connection c = connection(pool, waits);
            try {
                return new OneConnection(db, Dialects.of(db).session(c)); // as the database's own transactions see it
            } catch (SQLException | RuntimeException e) {
                c.close();
                throw e;
            }
        } catch (SQLException e) {
            throw ShuttleException.database("transaction on " + db.displayUrl(), e);
        }
    }

    private static Connection connection(DataSource pool, int waits) throws SQLException {
        for (int wait = 1; ; wait++) {
            try {
                return pool.getConnection();
            } catch (java.sql.SQLTransientConnectionException e) {
                // a pool busy to the brim says so without a cause; one that cannot open a connection keeps why
                if (wait >= waits || e.getSQLState() != null || e.getCause() != null) {
                    throw e;
                }
            }
        }
    }

    /** Runs {@code work} in one transaction on the connection: committed when it returns, rolled back when it throws. */
    public <T> T transaction(ShuttleDatabase.SqlWork<T> work) {
        try {
            return Jdbc.inTransaction(c, work);
        } catch (SQLException e) {
            throw ShuttleException.database("transaction on " + db.displayUrl(), e);
        }
    }

    /**
     * {@link #transaction} whose commit is on disk when it returns, as {@link
     * ShuttleDatabase#durableTransaction} makes it.
     */
    public <T> T durableTransaction(ShuttleDatabase.SqlWork<T> work) {
        Dialect dialect = Dialects.of(db);
        int restore;
        try {
            restore = dialect.raiseDurability(c);
        } catch (SQLException e) {
            throw ShuttleException.database("durable transaction on " + db.displayUrl(), e);
        }
        try {
            return transaction(x -> {
                dialect.durableCommit(x);
                return work.run(x);
            });
        } finally {
            if (restore >= 0) {
                try {
                    dialect.restoreDurability(c, restore);
                } catch (SQLException e) {
                    throw ShuttleException.database("durable transaction on " + db.displayUrl(), e);
                }
            }
        }
    }

    /** Gives the connection back to the pool. */
    @Override
    public void close() {
        try {
            c.close();
        } catch (SQLException e) {
            throw ShuttleException.database("closing a connection to " + db.displayUrl(), e);
        }
    }
}
