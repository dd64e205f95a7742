package io.shuttlebridge.core.dialect;

import io.shuttlebridge.core.schema.Table;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * What Shuttle needs to know about one database product. One implementation per product,
 * selected by {@link Dialects#forUrl(String)}; callers branch on capabilities, never on names.
 */
public interface Dialect {

    /** Short product name, e.g. {@code sqlite}. */
    String name();

    /** True when this dialect serves the given JDBC URL. */
    boolean handlesUrl(String jdbcUrl);

    /** Connection properties this product needs (journal mode, timeouts, ...), added to the caller's. */
    java.util.Properties connectionProperties();

    /** Quotes an identifier so that any name (keywords, quotes, spaces, unicode) is safe in SQL. */
    String quote(String identifier);

    /** Names of the user tables in the database (metadata tables of Shuttle and of the product excluded). */
    List<String> listTables(Connection c) throws SQLException;

    /** Reads one table's columns, primary key and foreign keys. */
    Table readTable(Connection c, String name) throws SQLException;

    /** Whether foreign-key checks can be deferred to commit inside one transaction. */
    boolean supportsDeferredConstraints();

    /** Installs and removes capture triggers and metadata objects for this product. */
    CaptureSql capture();
}
