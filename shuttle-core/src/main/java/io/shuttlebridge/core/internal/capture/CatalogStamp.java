package io.shuttlebridge.core.internal.capture;

import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.dialect.Dialect;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A cheap stamp of a database's table definitions, that changes when a table or column is created,
 * dropped or altered: SQLite's schema cookie ({@code PRAGMA schema_version}, which trigger changes move
 * too), or on PostgreSQL a digest of the columns and keys of the tables of the current schema and of the
 * shape capture last took. One or two queries; the full comparison runs only when it moved.
 */
public final class CatalogStamp {
    private CatalogStamp() {}

    public static String read(Connection c, Dialect dialect) throws SQLException {
        if ("sqlite".equals(dialect.name())) {
            return Jdbc.queryLong(c, "PRAGMA schema_version")
                    .map(String::valueOf)
                    .orElse("");
        }
        return Jdbc.queryString(c, """
                        SELECT md5(coalesce(string_agg(cl.relname || ':' || a.attname || ':' || a.atttypid || ':'
                            || a.atttypmod || ':' || a.attnotnull || ':' || a.atthasdef || ':' || a.attnum, ','
                            ORDER BY cl.relname, a.attnum), '')
                            || (SELECT count(*) FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid
                                WHERE t.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())
                                  AND k.contype IN ('p', 'f'))::text)
                          FROM pg_class cl JOIN pg_attribute a ON a.attrelid = cl.oid
                         WHERE cl.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())
                           AND cl.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
                           AND cl.relname NOT LIKE '\\_shuttle\\_%'""").orElse("")
                // taking a table again re-installs triggers, which the digest does not see: the shape capture took does
                + Jdbc.queryString(c, "SELECT md5(value) FROM _shuttle_meta WHERE key = ?", CapturedShape.KEY)
                        .orElse("");
    }

    /** Whether {@code column} of {@code table} has a default value. */
    static boolean hasDefault(Connection c, Dialect dialect, String table, String column) throws SQLException {
        if ("sqlite".equals(dialect.name())) {
            try (var ps = c.prepareStatement("SELECT dflt_value FROM pragma_table_info(?) WHERE name = ?")) {
                ps.setString(1, table);
                ps.setString(2, column);
                try (var rs = ps.executeQuery()) {
                    return rs.next() && rs.getString(1) != null;
                }
            }
        }
        return Jdbc.queryLong(c, """
                        SELECT count(*) FROM pg_attribute a JOIN pg_class cl ON cl.oid = a.attrelid
                         WHERE cl.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())
                           AND cl.relname = ? AND a.attname = ? AND a.atthasdef""", table, column).orElse(0L) > 0;
    }
}
