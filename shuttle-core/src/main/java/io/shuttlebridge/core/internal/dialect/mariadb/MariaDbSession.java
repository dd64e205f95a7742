package io.shuttlebridge.core.internal.dialect.mariadb;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A connection to MariaDB as the engine uses it. Every statement text passes through {@link
 * MariaDbSql#translate} on its way to the driver (with the collation names of the server it is: {@link
 * MariaDbServer}), the connection reads committed data (as the engine
 * expects of a PostgreSQL connection: see {@link MariaDbDialect}), and the apply bracket's session
 * variable {@code @shuttle_applying} lives no longer than the transaction that set it ({@link
 * #applying}): it is cleared when the transaction commits or rolls back, or the connection is closed
 * (given back to a pool), so a failed apply can never leave a pooled connection whose writes go
 * uncaptured.
 */
final class MariaDbSession implements InvocationHandler {
    /** Clears the apply bracket's variable. */
    static final String CLEAR_APPLYING = "SET @shuttle_applying = NULL";

    private final Connection target;
    /** The server's exact collation ({@link MariaDbServer}), which the statements' texts are given. */
    private final String exactCollation;

    private Connection proxy;
    private boolean applying;

    private MariaDbSession(Connection target, String exactCollation) {
        this.target = target;
        this.exactCollation = exactCollation;
    }

    /** The engine's view of a MariaDB connection. */
    static Connection wrap(Connection c) throws SQLException {
        if (Proxy.isProxyClass(c.getClass()) && Proxy.getInvocationHandler(c) instanceof MariaDbSession) {
            return c;
        }
        if (c.getTransactionIsolation() != Connection.TRANSACTION_READ_COMMITTED) {
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        }
        MariaDbSession session = new MariaDbSession(c, MariaDbServer.exactCollation(c));
        session.proxy = (Connection) Proxy.newProxyInstance(
                MariaDbSession.class.getClassLoader(), new Class<?>[] {Connection.class}, session);
        return session.proxy;
    }

    /**
     * Marks {@code c} as applying remote changes until its transaction ends; the caller sets the variable
     * itself, in the statement that needs it.
     */
    static void applying(Connection c, boolean on) {
        if (Proxy.isProxyClass(c.getClass()) && Proxy.getInvocationHandler(c) instanceof MariaDbSession s) {
            s.applying = on;
        }
    }

    @Override
    public Object invoke(Object self, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        switch (name) {
            case "prepareStatement", "prepareCall", "nativeSQL" ->
                args[0] = MariaDbSql.translate((String) args[0], exactCollation);
            case "commit", "rollback" -> {
                Object result = call(method, args);
                if (args == null || args.length == 0) {
                    clearApplying();
                }
                return result;
            }
            case "close" -> {
                if (applying && !target.isClosed()) {
                    try {
                        clearApplying();
                    } catch (SQLException e) {
                        // the connection is going away: a pool validates or discards it
                    }
                }
                return call(method, args);
            }
            case "unwrap" -> {
                return ((Class<?>) args[0]).isInstance(self) ? self : target.unwrap((Class<?>) args[0]);
            }
            case "isWrapperFor" -> {
                return ((Class<?>) args[0]).isInstance(self) || target.isWrapperFor((Class<?>) args[0]);
            }
            case "equals" -> {
                return self == args[0];
            }
            case "hashCode" -> {
                return System.identityHashCode(self);
            }
            case "toString" -> {
                return "MariaDbSession[" + target + "]";
            }
            default -> {}
        }
        Object result = call(method, args);
        if (name.equals("createStatement") && result instanceof Statement s) {
            return statement(s);
        }
        return result;
    }

    private void clearApplying() throws SQLException {
        if (applying) {
            applying = false;
            try (Statement s = target.createStatement()) {
                s.execute(CLEAR_APPLYING);
            }
        }
    }

    private Object call(Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** A statement whose SQL texts are translated and whose connection is this session. */
    private Statement statement(Statement s) {
        return (Statement) Proxy.newProxyInstance(
                MariaDbSession.class.getClassLoader(), new Class<?>[] {Statement.class}, (self, method, args) -> {
                    String name = method.getName();
                    if (args != null
                            && args.length > 0
                            && args[0] instanceof String sql
                            && (name.startsWith("execute") || name.equals("addBatch"))) {
                        args[0] = MariaDbSql.translate(sql, exactCollation);
                    }
                    if (name.equals("getConnection")) {
                        return proxy;
                    }
                    if (name.equals("equals")) {
                        return self == args[0];
                    }
                    if (name.equals("hashCode")) {
                        return System.identityHashCode(self);
                    }
                    try {
                        return method.invoke(s, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
