package io.shuttlebridge.core.internal.dialect;

import io.shuttlebridge.core.internal.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A format step that creates a table the formats before {@code version} did not have, with the
 * definition {@code version} gave it; a database that has it already keeps its own.
 *
 * @param version the format that added the table
 * @param table its name
 * @param ddl its {@code CREATE TABLE IF NOT EXISTS} statement in that format
 */
public record MissingTable(int version, String table, String ddl) implements FormatStep {

    public MissingTable {
        if (!ddl.startsWith("CREATE TABLE IF NOT EXISTS " + table + " ")) {
            throw new IllegalArgumentException("not a CREATE TABLE IF NOT EXISTS of " + table + ": " + ddl);
        }
    }

    @Override
    public String description() {
        return "add " + table;
    }

    @Override
    public boolean apply(Connection c, Dialect dialect) throws SQLException {
        if (dialect.hasTable(c, table)) {
            return false;
        }
        Jdbc.execute(c, ddl);
        return true;
    }
}
