package io.shuttlebridge.core.dialect.postgres;

import io.shuttlebridge.core.schema.Column;
import io.shuttlebridge.core.schema.Table;
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
 */
final class PostgresBulkUpsert extends io.shuttlebridge.core.dialect.QueuedRows {
    private final Connection connection;
    private final String sql;
    private PreparedStatement statement;

    private PostgresBulkUpsert(Connection connection, String sql, int width) {
        super(width);
        this.connection = connection;
        this.sql = sql;
    }

    /** A bulk upsert for the columns, or null when one of them has a type that cannot travel in a text array. */
    static PostgresBulkUpsert of(Connection connection, Table table, List<String> key, List<String> columns, UnaryOperator<String> quote) {
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
        List<String> keyAliases = key.stream().map(k -> aliases.get(columns.indexOf(k))).toList();
        List<String> nonKey = columns.stream().filter(c -> !key.contains(c)).toList();
        String sql = "INSERT INTO " + quote.apply(table.name()) + " (" + String.join(", ", columns.stream().map(quote).toList()) + ")"
                + " SELECT " + String.join(", ", aliases) + " FROM (SELECT DISTINCT ON (" + String.join(", ", keyAliases) + ") * FROM unnest("
                + String.join(", ", cols.stream().map(PgArrays::parameter).toList()) + ") WITH ORDINALITY AS u("
                + String.join(", ", aliases) + ", ord) ORDER BY " + String.join(", ", keyAliases) + ", ord DESC) d"
                + " ON CONFLICT (" + String.join(", ", key.stream().map(quote).toList()) + ") DO "
                + (nonKey.isEmpty() ? "NOTHING" : "UPDATE SET " + String.join(", ",
                        nonKey.stream().map(c -> quote.apply(c) + " = excluded." + quote.apply(c)).toList()));
        return new PostgresBulkUpsert(connection, sql, cols.size());
    }



    @Override
    public void execute() throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        if (statement == null) {
            statement = connection.prepareStatement(sql);
        }
        for (int col = 0; col < width; col++) {
            String[] texts = new String[rows.size()];
            for (int r = 0; r < texts.length; r++) {
                texts[r] = PgArrays.text(rows.get(r)[col]);
            }
            statement.setArray(col + 1, PgArrays.texts(connection, texts));
        }
        rows.clear();
        statement.executeUpdate();
    }


    @Override
    public void close() throws SQLException {
        rows.clear();
        if (statement != null) {
            statement.close();
            statement = null;
        }
    }
}
