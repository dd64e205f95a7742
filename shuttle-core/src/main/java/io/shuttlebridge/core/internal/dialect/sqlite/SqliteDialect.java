package io.shuttlebridge.core.internal.dialect.sqlite;

import io.shuttlebridge.core.internal.dialect.CaptureSql;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.schema.Column;
import io.shuttlebridge.core.internal.schema.Table;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.temporal.Temporal;
import java.util.List;
import java.util.Properties;

/**
 * SQLite: triggers in plain SQL ({@link SqliteTriggers}), a capture log folded into the feed
 * ({@link SqliteFold}), deferred foreign keys per transaction, one writer at a time.
 */
public final class SqliteDialect implements Dialect {
    private final CaptureSql capture = capture(this);

    @Override
    public String name() {
        return "sqlite";
    }

    @Override
    public boolean handlesUrl(String jdbcUrl) {
        return jdbcUrl.startsWith("jdbc:sqlite:");
    }

    @Override
    public Properties connectionProperties() {
        Properties p = new Properties();
        p.setProperty("journal_mode", "WAL");
        // the engine's commits that must survive a power loss (a hub's answered push, a device's record of what
        // its hub acknowledged) raise it to FULL for themselves: ShuttleDatabase.durableTransaction
        p.setProperty("synchronous", "NORMAL");
        p.setProperty("foreign_keys", "true");
        p.setProperty("busy_timeout", "30000");
        p.setProperty("cache_size", "-65536"); // KiB: a sync touches the feed, its seq index and the rows at once
        // take the write lock when a transaction starts: no lock upgrades, no SQLITE_BUSY mid-transaction
        p.setProperty("transaction_mode", "IMMEDIATE");
        return p;
    }

    /** {@code synchronous} below FULL (2) is raised to FULL: it may not change inside a transaction. */
    @Override
    public int raiseDurability(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA synchronous")) {
            int level = rs.next() ? rs.getInt(1) : 2;
            if (level >= 2) {
                return -1;
            }
            s.execute("PRAGMA synchronous = FULL");
            return level;
        }
    }

    @Override
    public void restoreDurability(Connection c, int level) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA synchronous = " + level);
        }
    }

    @Override
    public List<String> listTables(Connection c) throws SQLException {
        return SqliteSchemaReader.listTables(c);
    }

    @Override
    public Table readTable(Connection c, String name) throws SQLException {
        return SqliteSchemaReader.readTable(c, name);
    }

    @Override
    public boolean batchesApplyWrites() {
        return true;
    }

    @Override
    public boolean supportsDeferredConstraints() {
        return true;
    }

    @Override
    public String deferConstraintsStatement() {
        return "PRAGMA defer_foreign_keys = ON";
    }

    @Override
    public String immediateConstraintsStatement() {
        return "PRAGMA defer_foreign_keys = OFF";
    }

    /** Exact decimals go into text columns as plain digits (never {@code 1E-7}). */
    @Override
    public Object toDatabase(Column column, Object value) {
        return value instanceof BigDecimal d && column.jdbcType() == Types.VARCHAR ? d.toPlainString() : value;
    }

    @Override
    public boolean defersEveryForeignKey() {
        return true;
    }

    @Override
    public String identityPrimaryKey() {
        return "INTEGER PRIMARY KEY AUTOINCREMENT";
    }

    @Override
    public String binaryType() {
        return "BLOB";
    }

    @Override
    public String clusteredByPrimaryKey() {
        return " WITHOUT ROWID";
    }

    @Override
    public List<String> bulkWriteSessionStatements() {
        return List.of(
                "PRAGMA busy_timeout = 10000",
                "PRAGMA cache_size = -65536",
                "PRAGMA mmap_size = 1073741824",
                // checkpoint the WAL every ~40 MB rather than every ~4 MB: batches are large, and a checkpoint
                // per batch rewrites the same pages over and over (no effect on durability)
                "PRAGMA wal_autocheckpoint = 10000");
    }

    @Override
    public String jsonArrayElements(String alias) {
        return "json_each(?) " + alias;
    }

    @Override
    public String hexToBinary(String expression) {
        return "unhex(" + expression + ")";
    }

    /**
     * SQLite has no date or exact decimal types, whatever a column declares: dates and times go in as
     * ISO 8601 text, decimals as their plain digits, booleans as 0 or 1.
     */
    @Override
    public void bindValue(PreparedStatement ps, int index, Column column, Object value) throws SQLException {
        switch (value) {
            case null -> ps.setNull(index, Types.NULL);
            case String s -> ps.setString(index, s);
            case Long l -> ps.setLong(index, l);
            case BigDecimal d -> ps.setString(index, d.toPlainString());
            case Boolean b -> ps.setInt(index, b ? 1 : 0);
            case Temporal t -> ps.setString(index, t.toString());
            default -> ps.setObject(index, value);
        }
    }

    @Override
    public BulkUpsert bulkUpsert(Connection c, Table table, List<String> key, List<String> columns) {
        return SqliteBulkUpsert.of(c, table.name(), key, columns, this::quote);
    }

    @Override
    public CaptureSql capture() {
        return capture;
    }

    private static CaptureSql capture(Dialect dialect) {
        SqliteKeys keys = new SqliteKeys(dialect);
        SqliteFold fold = new SqliteFold(keys);
        return CaptureSql.of(
                new SqliteMetadata(dialect),
                new SqliteTriggers(dialect, keys),
                keys,
                fold,
                new SqliteApply(keys, fold),
                new SqliteClock(fold));
    }
}
