package io.shuttlebridge.core.internal.dialect.sqlite;

import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.dialect.QueuedRows;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Upserts queued rows with {@link MultiRowInsert} ({@code INSERT ... VALUES (...), (...) ON CONFLICT
 * (key) DO UPDATE}); a key given twice ends with the row added last, as writing them one by one would.
 */
final class SqliteBulkUpsert extends QueuedRows {
    private final MultiRowInsert<Object[]> insert;

    private SqliteBulkUpsert(MultiRowInsert<Object[]> insert, int width) {
        super(width);
        this.insert = insert;
    }

    static SqliteBulkUpsert of(
            Connection connection, String table, List<String> key, List<String> columns, UnaryOperator<String> quote) {
        String into = "INSERT INTO " + quote.apply(table) + " ("
                + String.join(", ", columns.stream().map(quote).toList()) + ") VALUES ";
        String row = "(" + String.join(", ", Collections.nCopies(columns.size(), "?")) + ")";
        String onConflict = Dialect.onConflictUpdate(key, columns, quote);
        MultiRowInsert<Object[]> insert = new MultiRowInsert<>(
                connection,
                n -> into + String.join(", ", Collections.nCopies(n, row)) + onConflict,
                (ps, i, values) -> {
                    for (Object v : values) {
                        Jdbc.set(ps, i++, v);
                    }
                    return i;
                });
        return new SqliteBulkUpsert(insert, columns.size());
    }

    @Override
    public void execute() throws SQLException {
        try {
            insert.run(rows);
        } finally {
            clear();
        }
    }

    @Override
    public void close() throws SQLException {
        clear();
        insert.close();
    }
}
