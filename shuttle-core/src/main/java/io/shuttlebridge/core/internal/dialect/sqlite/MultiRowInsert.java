package io.shuttlebridge.core.internal.dialect.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Runs an {@code INSERT ... VALUES (...), (...)} statement over many rows, {@value #ROWS_PER_STATEMENT}
 * to a statement: fewer statement runs and driver calls than one run per row. SQLite applies the rows
 * of one statement one after the other, so with {@code ON CONFLICT DO UPDATE} a key given twice ends
 * with its later row, as writing them one by one would. Statements are kept by row count until closed.
 */
final class MultiRowInsert<T> implements AutoCloseable {
    static final int ROWS_PER_STATEMENT = 64;

    /** Binds one row's parameters from {@code index} on; returns the next index. */
    @FunctionalInterface
    interface Binder<T> {
        int bind(PreparedStatement ps, int index, T row) throws SQLException;
    }

    private final Connection connection;
    private final IntFunction<String> sqlForRows;
    private final Binder<T> binder;
    private final Map<Integer, PreparedStatement> statements = new HashMap<>();

    MultiRowInsert(Connection connection, IntFunction<String> sqlForRows, Binder<T> binder) {
        this.connection = connection;
        this.sqlForRows = sqlForRows;
        this.binder = binder;
    }

    void run(List<T> rows) throws SQLException {
        for (int from = 0; from < rows.size(); from += ROWS_PER_STATEMENT) {
            int n = Math.min(ROWS_PER_STATEMENT, rows.size() - from);
            PreparedStatement ps = statements.get(n);
            if (ps == null) {
                ps = connection.prepareStatement(sqlForRows.apply(n));
                statements.put(n, ps);
            }
            int i = 1;
            for (T row : rows.subList(from, from + n)) {
                i = binder.bind(ps, i, row);
            }
            ps.executeUpdate();
        }
    }

    @Override
    public void close() throws SQLException {
        for (PreparedStatement ps : statements.values()) {
            ps.close();
        }
        statements.clear();
    }
}
