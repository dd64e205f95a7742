package io.shuttlebridge.bridge.internal.ingest;

import io.shuttlebridge.bridge.internal.target.TargetTable;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.schema.Column;
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
    private final Dialect dialect;
    /** The target columns of the insert's parameters, in order; those of the update's; those of the key. */
    private final Column[] insertColumns;

    private final Column[] updateColumns;
    private final Column[] keyColumns;
    private final int[] valueOrderForUpdate;
    private final PreparedStatement insert;
    private final PreparedStatement update;
    private final PreparedStatement delete;
    private int inserts;
    private int updates;
    private int deletes;

    /** Writes {@code columns} of the target table; {@code keys} among them identify a row. */
    public JdbcSink(Connection c, Dialect dialect, TargetTable target, List<String> columns, List<String> keys) {
        this.table = target.name();
        this.dialect = dialect;
        List<String> nonKey =
                columns.stream().filter(col -> !keys.contains(col)).toList();
        valueOrderForUpdate = Stream.concat(nonKey.stream(), keys.stream())
                .mapToInt(columns::indexOf)
                .toArray();
        insertColumns = target.columns(columns);
        updateColumns =
                target.columns(Stream.concat(nonKey.stream(), keys.stream()).toList());
        keyColumns = target.columns(keys);
        String cols = columns.stream().map(dialect::quote).collect(Collectors.joining(", "));
        String marks = columns.stream().map(x -> "?").collect(Collectors.joining(", "));
        String where = keys.stream().map(k -> dialect.quote(k) + " = ?").collect(Collectors.joining(" AND "));
        String set = nonKey.stream().map(k -> dialect.quote(k) + " = ?").collect(Collectors.joining(", "));
        String insertSql = "INSERT INTO " + dialect.quote(table) + " (" + cols + ") VALUES (" + marks + ")";
        if (target.isUnique(keys)) {
            insertSql += Dialect.onConflictUpdate(keys, columns, dialect::quote);
        }
        try {
            insert = c.prepareStatement(insertSql);
            update = nonKey.isEmpty()
                    ? null
                    : c.prepareStatement("UPDATE " + dialect.quote(table) + " SET " + set + " WHERE " + where);
            delete = c.prepareStatement("DELETE FROM " + dialect.quote(table) + " WHERE " + where);
        } catch (SQLException e) {
            throw ShuttleException.database("preparing writes to target table " + table, e);
        }
    }

    @Override
    public void insert(Object[] row) {
        try {
            for (int i = 0; i < row.length; i++) {
                dialect.bindValue(insert, i + 1, insertColumns[i], row[i]);
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
                dialect.bindValue(update, i + 1, updateColumns[i], row[valueOrderForUpdate[i]]);
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
                dialect.bindValue(delete, i + 1, keyColumns[i], key[i]);
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
