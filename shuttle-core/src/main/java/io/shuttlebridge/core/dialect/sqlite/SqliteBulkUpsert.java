package io.shuttlebridge.core.dialect.sqlite;

import io.shuttlebridge.core.internal.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Upserts queued rows {@value #ROWS_PER_STATEMENT} to a statement ({@code INSERT ... VALUES (...),
 * (...) ON CONFLICT (key) DO UPDATE}): fewer statement runs and driver calls than one run per row.
 * SQLite applies the rows of one statement one after the other, so a key given twice ends with the
 * row added last, as writing them one by one would.
 */
final class SqliteBulkUpsert extends io.shuttlebridge.core.dialect.QueuedRows {
    static final int ROWS_PER_STATEMENT = 64;

    private final Connection connection;
    private final String insert;
    private final String row;
    private final String onConflict;
    /** Statements by number of rows (a flush before a read may send a few rows at a time). */
    private final java.util.Map<Integer, PreparedStatement> statements = new java.util.HashMap<>();

    private SqliteBulkUpsert(Connection connection, String insert, String row, String onConflict, int width) {
        super(width);
        this.connection = connection;
        this.insert = insert;
        this.row = row;
        this.onConflict = onConflict;
    }

    static SqliteBulkUpsert of(Connection connection, String table, List<String> key, List<String> columns, UnaryOperator<String> quote) {
        List<String> nonKey = columns.stream().filter(c -> !key.contains(c)).toList();
        String insert = "INSERT INTO " + quote.apply(table) + " (" + String.join(", ", columns.stream().map(quote).toList()) + ") VALUES ";
        String row = "(" + String.join(", ", Collections.nCopies(columns.size(), "?")) + ")";
        String onConflict = " ON CONFLICT (" + String.join(", ", key.stream().map(quote).toList()) + ") DO "
                + (nonKey.isEmpty() ? "NOTHING" : "UPDATE SET " + String.join(", ",
                        nonKey.stream().map(c -> quote.apply(c) + " = excluded." + quote.apply(c)).toList()));
        return new SqliteBulkUpsert(connection, insert, row, onConflict, columns.size());
    }



    @Override
    public void execute() throws SQLException {
        try {
            for (int from = 0; from < rows.size(); from += ROWS_PER_STATEMENT) {
                int n = Math.min(ROWS_PER_STATEMENT, rows.size() - from);
                PreparedStatement ps = statements.get(n);
                if (ps == null) {
                    ps = connection.prepareStatement(sql(n));
                    statements.put(n, ps);
                }
                run(ps, from, n);
            }
        } finally {
            rows.clear();
        }
    }

    private String sql(int n) {
        return insert + String.join(", ", Collections.nCopies(n, row)) + onConflict;
    }

    private void run(PreparedStatement ps, int from, int n) throws SQLException {
        int i = 1;
        for (Object[] values : rows.subList(from, from + n)) {
            for (Object v : values) {
                Jdbc.set(ps, i++, v);
            }
        }
        ps.executeUpdate();
    }


    @Override
    public void close() throws SQLException {
        rows.clear();
        for (PreparedStatement ps : statements.values()) {
            ps.close();
        }
        statements.clear();
    }
}
