package io.shuttlebridge.core.internal.dialect.postgres;

import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.dialect.QueuedRows;
import io.shuttlebridge.core.internal.schema.Column;
import io.shuttlebridge.core.internal.schema.Table;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Upserts a page of rows in one statement: each column travels as one array parameter,
 * {@code INSERT ... SELECT ... FROM unnest(...) ON CONFLICT (key) DO UPDATE}. A key given twice is
 * written once, with the row added last (the outcome of writing them one after the other), since
 * one statement may not update a row twice.
 *
 * <p>Rows expected to be new go in with a plain {@code INSERT} instead ({@link InsertAsNew}); when
 * one turns out to exist after all, the same rows are upserted. Runs of rows keep their order.
 */
final class PostgresBulkUpsert extends QueuedRows {
    private final Connection connection;
    private final String sql;
    private final String insertSql;
    private PreparedStatement statement;
    private PreparedStatement insert;

    private PostgresBulkUpsert(Connection connection, String sql, String insertSql, int width) {
        super(width);
        this.connection = connection;
        this.sql = sql;
        this.insertSql = insertSql;
    }

    /** A bulk upsert for the columns, or null when one of them has a type that cannot travel in a text array. */
    static PostgresBulkUpsert of(
            Connection connection, Table table, List<String> key, List<String> columns, UnaryOperator<String> quote) {
        List<Column> cols = new ArrayList<>();
        for (String name : columns) {
            Column col = table.column(name).orElse(null);
            if (col == null || !PgArrays.scalar(col)) {
                return null;
            }
            cols.add(col);
        }
        List<String> aliases = new ArrayList<>();
        for (int i = 0; i < cols.size(); i++) {
            aliases.add("v" + i);
        }
        List<String> keyAliases =
                key.stream().map(k -> aliases.get(columns.indexOf(k))).toList();
        String into = "INSERT INTO " + quote.apply(table.name()) + " ("
                + String.join(", ", columns.stream().map(quote).toList()) + ")";
        String arrays = String.join(", ", cols.stream().map(PgArrays::parameter).toList());
        // a key given twice is written with its last row
        String sql = """
                %1$s
                SELECT %2$s FROM (
                  SELECT DISTINCT ON (%3$s) * FROM unnest(%4$s) WITH ORDINALITY AS u(%2$s, ord)
                  ORDER BY %3$s, ord DESC) d%5$s""".formatted(
                        into,
                        String.join(", ", aliases),
                        String.join(", ", keyAliases),
                        arrays,
                        Dialect.onConflictUpdate(key, columns, quote));
        return new PostgresBulkUpsert(connection, sql, into + " SELECT * FROM unnest(" + arrays + ")", cols.size());
    }

    @Override
    public void execute() throws SQLException {
        try {
            int from = 0;
            while (from < rows.size()) {
                boolean isNew = expectedNew.get(from);
                int to = isNew ? expectedNew.nextClearBit(from) : expectedNew.nextSetBit(from);
                to = to < 0 || to > rows.size() ? rows.size() : to;
                List<Object[]> run = rows.subList(from, to);
                if (!isNew || !insertedAsNew(run)) {
                    if (statement == null) {
                        statement = connection.prepareStatement(sql);
                    }
                    run(statement, run);
                }
                from = to;
            }
        } finally {
            clear();
        }
    }

    /** Inserts rows expected to be new; false, with nothing written, when one of them exists (or repeats a key). */
    private boolean insertedAsNew(List<Object[]> run) throws SQLException {
        if (insert == null) {
            insert = connection.prepareStatement(insertSql);
        }
        PreparedStatement plain = insert;
        return InsertAsNew.tried(connection, () -> run(plain, run));
    }

    /** Runs the statement over the rows, one array parameter per column. */
    private void run(PreparedStatement s, List<Object[]> run) throws SQLException {
        for (int col = 0; col < width; col++) {
            String[] texts = new String[run.size()];
            for (int r = 0; r < texts.length; r++) {
                texts[r] = PgArrays.text(run.get(r)[col]);
            }
            s.setArray(col + 1, PgArrays.texts(connection, texts));
        }
        s.executeUpdate();
    }

    @Override
    public void close() throws SQLException {
        clear();
        try (PreparedStatement a = statement;
                PreparedStatement b = insert) {
            statement = null;
            insert = null;
        }
    }
}
