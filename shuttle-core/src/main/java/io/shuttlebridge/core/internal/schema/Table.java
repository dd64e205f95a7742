package io.shuttlebridge.core.internal.schema;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** A table as discovered from the database: columns in declaration order, primary key, foreign keys. */
public record Table(String name, List<Column> columns, List<ForeignKey> foreignKeys) {
    public Table {
        columns = List.copyOf(columns);
        foreignKeys = List.copyOf(foreignKeys);
    }

    /** Primary key column names in key order (empty when the table has none). */
    public List<String> primaryKey() {
        return columns.stream()
                .filter(Column::inPrimaryKey)
                .sorted(Comparator.comparingInt(Column::primaryKeyPosition))
                .map(Column::name)
                .toList();
    }

    public boolean hasPrimaryKey() {
        return columns.stream().anyMatch(Column::inPrimaryKey);
    }

    public Optional<Column> column(String columnName) {
        for (Column c : columns) { // a plain loop: this is asked for every row an apply writes
            if (c.name().equals(columnName)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    public List<String> columnNames() {
        return columns.stream().map(Column::name).toList();
    }

    /** Fails with a message that says why a table without a primary key cannot be synced. */
    public void requirePrimaryKey() {
        if (!hasPrimaryKey()) {
            throw new ShuttleException(
                    ErrorCode.UNSUPPORTED_SCHEMA,
                    "table \"" + name
                            + "\" has no primary key: replicas identify a row by its primary key, so a table without one"
                            + " cannot be synced; declare a PRIMARY KEY (or UNIQUE NOT NULL id) or leave the table out with --tables");
        }
    }
}
