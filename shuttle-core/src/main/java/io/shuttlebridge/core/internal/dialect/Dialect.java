package io.shuttlebridge.core.internal.dialect;

import io.shuttlebridge.core.internal.schema.Column;
import io.shuttlebridge.core.internal.schema.Table;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.UnaryOperator;

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
    Properties connectionProperties();

    /**
     * A channel the database notifies (LISTEN/NOTIFY) when the feed advances, so that several hub
     * processes over one database hear of each other's writes; empty when the product has none.
     */
    default Optional<String> feedChannel() {
        return Optional.empty();
    }

    /** Quotes an identifier so that any name (keywords, quotes, spaces, unicode) is safe in SQL; ANSI double quotes by default. */
    default String quote(String identifier) {
        return Identifiers.doubleQuote(identifier);
    }

    /** Names of the user tables in the database (metadata tables of Shuttle and of the product excluded). */
    List<String> listTables(Connection c) throws SQLException;

    /** Reads one table's columns, primary key and foreign keys. */
    Table readTable(Connection c, String name) throws SQLException;

    /** Whether a user table of this name exists where this connection works (its schema, for products that have them). */
    default boolean hasTable(Connection c, String name) throws SQLException {
        try (ResultSet rs = c.getMetaData().getTables(null, null, name, new String[] {"TABLE"})) {
            return rs.next();
        }
    }

    /** Whether foreign-key checks can be deferred to commit inside one transaction. */
    boolean supportsDeferredConstraints();

    /**
     * Whether applied row writes are sent in batches (one round trip per run of writes) rather
     * than one statement at a time; worth it where every statement is a network round trip.
     */
    default boolean batchesApplyWrites() {
        return false;
    }

    /**
     * A statement that upserts many rows of one table at once (one round trip for a page of rows),
     * or null where rows are written one statement each. {@code columns} are the columns written,
     * the {@code key} among them; values are added as {@link #toDatabase} gives them.
     */
    default BulkUpsert bulkUpsert(Connection c, Table table, List<String> key, List<String> columns)
            throws SQLException {
        return null;
    }

    /**
     * The clause that makes an {@code INSERT} of {@code columns} an upsert on {@code key} (both
     * dialects' syntax, with a leading space): the columns outside the key take the incoming values,
     * and a row of key columns only is left as it is.
     */
    static String onConflictUpdate(List<String> key, List<String> columns, UnaryOperator<String> quote) {
        List<String> nonKey = columns.stream().filter(c -> !key.contains(c)).toList();
        return " ON CONFLICT (" + String.join(", ", key.stream().map(quote).toList()) + ") DO "
                + (nonKey.isEmpty()
                        ? "NOTHING"
                        : "UPDATE SET "
                                + String.join(
                                        ", ",
                                        nonKey.stream()
                                                .map(c -> quote.apply(c) + " = excluded." + quote.apply(c))
                                                .toList()));
    }

    /** Rows queued for one upsert statement; when a key is given twice, the row added last is written. */
    interface BulkUpsert extends AutoCloseable {
        /** Queues a row: its values in the order of the columns. */
        default void add(Object[] values) {
            add(values, false);
        }

        /**
         * Queues a row; {@code expectedNew} says this replica knew of no such row when the apply
         * began, so the dialect may try a plain insert first. A wrong guess costs time, never
         * correctness: the row is then upserted.
         */
        void add(Object[] values, boolean expectedNew);

        /** Rows queued. */
        int size();

        /** Writes the queued rows and forgets them. */
        void execute() throws SQLException;

        /** Forgets the queued rows without writing them. */
        void clear();

        @Override
        void close() throws SQLException;
    }

    /** The statement that defers foreign-key checks to commit, when {@link #supportsDeferredConstraints()}. */
    default String deferConstraintsStatement() {
        throw new UnsupportedOperationException(name() + " cannot defer constraints");
    }

    /** A value as it should be bound into {@code column} (e.g. a 0/1 integer into a boolean column). */
    default Object toDatabase(Column column, Object value) {
        return value;
    }

    /** Installs and removes capture triggers and metadata objects for this product. */
    CaptureSql capture();
}
