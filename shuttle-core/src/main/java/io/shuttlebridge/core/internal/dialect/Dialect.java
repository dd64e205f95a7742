package io.shuttlebridge.core.internal.dialect;

import io.shuttlebridge.core.internal.schema.Column;
import io.shuttlebridge.core.internal.schema.Table;
import java.sql.Connection;
import java.sql.PreparedStatement;
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

    /** The URL the driver is given for {@code jdbcUrl} (the same by default). */
    default String driverUrl(String jdbcUrl) {
        return jdbcUrl;
    }

    /**
     * A connection as the engine works on it, made from one the driver or a pool gave: the same one by
     * default; a product whose SQL differs from the engine's in spelling hands out a translating view.
     */
    default Connection session(Connection c) throws SQLException {
        return c;
    }

    /**
     * A cheap stamp of the table definitions, that moves when a table or column is created, dropped or
     * altered ({@code CatalogStamp}); empty where the generic one applies.
     */
    default Optional<String> catalogStamp(Connection c) throws SQLException {
        return Optional.empty();
    }

    /** Whether a column has a default value, where the product answers it itself; empty where the generic lookup applies. */
    default Optional<Boolean> columnHasDefault(Connection c, String table, String column) throws SQLException {
        return Optional.empty();
    }

    /**
     * A channel the database notifies (LISTEN/NOTIFY) when the feed advances, so that several hub
     * processes over one database hear of each other's writes; empty when the product has none.
     */
    default Optional<String> feedChannel() {
        return Optional.empty();
    }

    /**
     * Before a transaction whose commit must be on disk when it returns ({@code
     * ShuttleDatabase.durableTransaction}), outside any transaction: raises the connection's durability
     * for it, returning the level to put back afterwards ({@link #restoreDurability}); -1 when there is
     * nothing to put back (the default).
     */
    default int raiseDurability(Connection c) throws SQLException {
        return -1;
    }

    /** Puts back what {@link #raiseDurability} raised. */
    default void restoreDurability(Connection c, int level) throws SQLException {}

    /**
     * Inside such a transaction, first: makes its commit durable whatever the session's or the server's
     * default. Nothing by default.
     */
    default void durableCommit(Connection c) throws SQLException {}

    /**
     * Inside a transaction: has its statements planned for their parameters' values each time they run,
     * not once for any values (the best plan of a lookup in a range of the feed depends on how many
     * entries the range holds). Nothing by default.
     */
    default void planForValues(Connection c) throws SQLException {}

    /**
     * Whether a derived table with {@code ORDER BY ... LIMIT} in a query's {@code FROM} is read as the outer
     * query consumes it (PostgreSQL, SQLite), not first written out whole to a temporary table (MariaDB, MySQL):
     * a scan may then bound a stretch of a table by a count of rows in one statement. True by default.
     */
    default boolean streamsDerivedTables() {
        return true;
    }

    /**
     * Inside a transaction that only reads, first: every statement of it reads one snapshot of the
     * database, whatever commits meanwhile (a feed page, the nodes it names and the rows it carries
     * agree). Nothing by default: a SQLite transaction reads one snapshot already.
     */
    default void oneSnapshot(Connection c) throws SQLException {}

    /**
     * The statement {@link #oneSnapshot} runs, where the driver sends it with the transaction's first query
     * in one round trip (the two joined by {@code ;}, parameters and all); null where it cannot, and {@link
     * #oneSnapshot} is called on its own.
     */
    default String oneSnapshotStatement() {
        return null;
    }

    /**
     * The lock that orders transactions of one kind over this database across connections and processes, where
     * nothing else orders them; empty where the database has one writer at a time (SQLite), which does already.
     */
    default Optional<TransactionLock> transactionLock() {
        return Optional.empty();
    }

    /**
     * Brings the database's statistics of the feed up to date after many entries were written at once (a
     * backfill), where the product does not before its next reads are planned: a feed planned as empty
     * turns every lookup of a row's entry into a scan. Nothing by default.
     */
    default void feedGrew(Connection c) throws SQLException {}

    /**
     * {@code table} named with the schema (or database) the connection works in, so that a common table
     * expression of the same name, which hides the table from the rest of its statement, can read it:
     * SQLite's {@code main} by default.
     */
    default String qualified(Connection c, String table) throws SQLException {
        return quote("main") + "." + quote(table);
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
     * Whether a row that refers to itself through a foreign key cannot be deleted as it is (InnoDB checks
     * foreign keys row by row, the row it deletes included): the apply clears such a row's reference to
     * itself first.
     */
    default boolean refusesDeletingSelfReferences() {
        return false;
    }

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

    /**
     * The statement that has foreign keys checked as each statement runs (the opposite of {@link
     * #deferConstraintsStatement()}), so that a failing write shows itself where it is made; null
     * when there is nothing to undo.
     */
    default String immediateConstraintsStatement() {
        return null;
    }

    /** A value as it should be bound into {@code column} (e.g. a 0/1 integer into a boolean column). */
    default Object toDatabase(Column column, Object value) {
        return value;
    }

    /** Installs and removes capture triggers and metadata objects for this product. */
    CaptureSql capture();

    // What a tool that writes its own tables and rows into the database (Bridge) needs to know.

    /**
     * Whether {@link #deferConstraintsStatement()} defers every foreign key, rather than only those
     * declared {@code DEFERRABLE}.
     */
    default boolean defersEveryForeignKey() {
        return false;
    }

    /** The column definition of a surrogate key numbered by the database: {@code <name> <this>}. */
    String identityPrimaryKey();

    /** The column type of a byte string. */
    String binaryType();

    /**
     * The column type of a text an index covers, of at most {@code chars} characters: {@code TEXT} where
     * an index takes unbounded text, a bounded type where it does not (MariaDB and MySQL index at most 3,072
     * bytes per key).
     */
    default String indexedText(int chars) {
        return "TEXT";
    }

    /** The column type of a byte string an index covers, of at most {@code bytes} bytes (see {@link #indexedText}). */
    default String indexedBinary(int bytes) {
        return binaryType();
    }

    /**
     * Appended to {@code CREATE TABLE (...)} (with a leading space) to store a table in the order of
     * its primary key rather than beside a separate row id, where the product makes that a choice.
     */
    default String clusteredByPrimaryKey() {
        return "";
    }

    /**
     * Session settings for a connection that writes large batches (bigger caches, fewer checkpoints);
     * none of them weakens durability.
     */
    default List<String> bulkWriteSessionStatements() {
        return List.of();
    }

    /**
     * A {@code FROM} item over the elements of a JSON array of strings bound as the one parameter
     * {@code ?}: a row per element, its text in column {@code value} of {@code alias}.
     */
    String jsonArrayElements(String alias);

    /** An expression that decodes the hexadecimal text {@code expression} into bytes. */
    String hexToBinary(String expression);

    /**
     * Binds a value from outside the sync engine (a String, Long, BigDecimal, Boolean, LocalDate,
     * LocalDateTime, Instant or null) to a parameter that is written into, or compared with,
     * {@code column}, so that it is stored as that column's type. Date-times without a zone are
     * taken as UTC where the column has one.
     */
    void bindValue(PreparedStatement ps, int index, Column column, Object value) throws SQLException;
}
