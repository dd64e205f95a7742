package io.shuttlebridge.bridge.internal.ingest;

import io.shuttlebridge.bridge.internal.target.ValueBinder;
import io.shuttlebridge.core.ShuttleException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes into the target table with batched plain statements, so capture triggers on a sync-enabled
 * table record every change. Inserts become upserts on the business key when the table has a unique
 * key on exactly those columns.
 */
public final class JdbcSink implements Sink {
    private final String table;
    private final ValueBinder binder;
    private final int[] valueOrderForUpdate;
    private final PreparedStatement insert;
    private final PreparedStatement update;
    private final PreparedStatement delete;
    private int inserts;
    private int updates;
    private int deletes;

    public JdbcSink(Connection c, String table, List<String> columns, List<String> keys, boolean keyIsUnique) {
        this.table = table;
        this.binder = ValueBinder.forConnection(c);
        List<String> nonKey =
                columns.stream().filter(col -> !keys.contains(col)).toList();
        valueOrderForUpdate = Stream.concat(nonKey.stream(), keys.stream())
                .mapToInt(columns::indexOf)
                .toArray();
        String cols = columns.stream().map(JdbcSink::quote).collect(Collectors.joining(", "));
        String marks = columns.stream().map(x -> "?").collect(Collectors.joining(", "));
        String where = keys.stream().map(k -> quote(k) + " = ?").collect(Collectors.joining(" AND "));
        String set = nonKey.stream().map(k -> quote(k) + " = ?").collect(Collectors.joining(", "));
        String insertSql = "INSERT INTO " + quote(table) + " (" + cols + ") VALUES (" + marks + ")";
        if (keyIsUnique) {
            insertSql +=
                    " ON CONFLICT (" + keys.stream().map(JdbcSink::quote).collect(Collectors.joining(", ")) + ") DO "
                            + (nonKey.isEmpty()
                                    ? "NOTHING"
                                    : "UPDATE SET "
                                            + nonKey.stream()
                                                    .map(k -> quote(k) + " = excluded." + quote(k))
                                                    .collect(Collectors.joining(", ")));
        }
        try {
            insert = c.prepareStatement(insertSql);
            update = nonKey.isEmpty()
                    ? null
                    : c.prepareStatement("UPDATE " + quote(table) + " SET " + set + " WHERE " + where);
            delete = c.prepareStatement("DELETE FROM " + quote(table) + " WHERE " + where);
        } catch (SQLException e) {
            throw ShuttleException.database("preparing writes to target table " + table, e);
        }
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    @Override
    public void insert(Object[] row) {
        try {
            for (int i = 0; i < row.length; i++) {
                binder.bind(insert, i + 1, row[i]);
            }
            insert.addBatch();
            inserts++;
        } catch (SQLException e) {
            throw ShuttleException.database("inserting into " + table, e);
        }
    }

    @Override
    public void update(Object[] row) {
        if (update == null) {
            return;
        }
        try {
            for (int i = 0; i < valueOrderForUpdate.length; i++) {
                binder.bind(update, i + 1, row[valueOrderForUpdate[i]]);
            }
            update.addBatch();
            updates++;
        } catch (SQLException e) {
            throw ShuttleException.database("updating " + table, e);
        }
    }

    @Override
    public void delete(Object[] key) {
        try {
            for (int i = 0; i < key.length; i++) {
                binder.bind(delete, i + 1, key[i]);
            }
            delete.addBatch();
            deletes++;
        } catch (SQLException e) {
            throw ShuttleException.database("deleting from " + table, e);
        }
    }

    @Override
    public void flush() {
        try {
            if (inserts > 0) {
                insert.executeBatch();
            }
            if (updates > 0) {
                update.executeBatch();
            }
            if (deletes > 0) {
                delete.executeBatch();
            }
        } catch (SQLException e) {
            throw ShuttleException.database("writing a batch to target table " + table, e);
        } finally {
            inserts = 0;
            updates = 0;
            deletes = 0;
        }
    }

    @Override
    public void close() {
        try {
            insert.close();
            if (update != null) {
                update.close();
            }
            delete.close();
        } catch (SQLException e) {
            throw ShuttleException.database("closing statements on " + table, e);
        }
    }
}
