package io.shuttlebridge.core.internal.dialect.mariadb;

import io.shuttlebridge.core.internal.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * What {@code CatalogStamp} asks of MariaDB's catalog: a cheap stamp of the table definitions of the
 * connection's database (the user's tables, their columns, keys and triggers: re-installed triggers move
 * it too), and whether a column has a default.
 */
final class MariaDbCatalog {
    private static final String STAMP = """
            SELECT concat(
              (SELECT concat(count(*), ':', coalesce(sum(crc32(concat_ws(':', table_name, column_name, column_type,
                 is_nullable, coalesce(column_default, '~'), ordinal_position))), 0))
                 FROM information_schema.columns WHERE table_schema = database()
                 AND left(table_name, 9) <> '_shuttle_'), '/',
              (SELECT concat(count(*), ':', coalesce(sum(crc32(concat_ws(':', table_name, constraint_name,
                 constraint_type))), 0))
                 FROM information_schema.table_constraints WHERE table_schema = database()
                 AND constraint_type IN ('PRIMARY KEY', 'FOREIGN KEY')), '/',
              (SELECT concat(count(*), ':', coalesce(sum(crc32(concat_ws(':', trigger_name, created))), 0))
                 FROM information_schema.triggers WHERE trigger_schema = database()))""";

    private static final String HAS_DEFAULT = """
            SELECT count(*) FROM information_schema.columns WHERE table_schema = database() AND table_name = ?
              AND column_name = ? AND column_default IS NOT NULL AND column_default <> 'NULL'""";

    private MariaDbCatalog() {}

    static String stamp(Connection c) throws SQLException {
        return Jdbc.queryString(c, STAMP).orElse("");
    }

    static boolean hasDefault(Connection c, String table, String column) throws SQLException {
        return Jdbc.queryLong(c, HAS_DEFAULT, table, column).orElse(0L) > 0;
    }
}
