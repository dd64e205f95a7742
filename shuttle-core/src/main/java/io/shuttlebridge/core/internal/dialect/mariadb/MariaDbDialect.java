package io.shuttlebridge.core.internal.dialect.mariadb;

import io.shuttlebridge.core.internal.dialect.CaptureSql;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.dialect.TransactionLock;
import io.shuttlebridge.core.internal.schema.Column;
import io.shuttlebridge.core.internal.schema.Table;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * MariaDB (10.11 and 11.x; MySQL 8 through the same driver, untested): capture triggers in plain SQL, one
 * per event per table ({@link MariaDbTriggers}), the feed folded under a row lock on the clock so that
 * feed seqs follow commit order ({@link MariaDbFold}), text feed keys ({@link MariaDbKeys}), many
 * concurrent sessions, InnoDB and {@code utf8mb4} throughout. Works in the connection's database.
 *
 * <p><b>Sessions.</b> The engine's connections ({@link #session}) run with {@code sql_mode} {@code
 * ANSI_QUOTES,PIPES_AS_CONCAT,NO_BACKSLASH_ESCAPES} (with the strict mode), time zone UTC, and read
 * committed data: the engine's SQL is written for the semantics PostgreSQL gives by default, and a fold
 * must see the log rows committed by others since its transaction began. Readers that need one snapshot
 * ask for it ({@link #oneSnapshot}: REPEATABLE READ, InnoDB's default, for that transaction). Other
 * programs' sessions keep their own settings: the triggers carry the SQL mode they were created with, and
 * do not depend on the writer's time zone or isolation.
 *
 * <p>There is no LISTEN/NOTIFY ({@link #feedChannel} is empty): hub processes sharing one database learn
 * of each other's writes by polling.
 */
public final class MariaDbDialect implements Dialect {
    /** The SQL mode of the engine's sessions. */
    static final String SQL_MODE =
            "ANSI_QUOTES,PIPES_AS_CONCAT,NO_BACKSLASH_ESCAPES,STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION";

    private final CaptureSql capture = capture(this);

    @Override
    public Optional<TransactionLock> transactionLock() {
        return Optional.of(MariaDbTransactionLock.INSTANCE);
    }

    @Override
    public String name() {
        return "mariadb";
    }

    @Override
    public boolean handlesUrl(String jdbcUrl) {
        return jdbcUrl.startsWith("jdbc:mariadb:") || jdbcUrl.startsWith("jdbc:mysql:");
    }

    /**
     * {@code jdbc:mysql://} URLs are served by the MariaDB driver too (it speaks to MySQL servers), which
     * takes them only when told so in the URL.
     */
    @Override
    public String driverUrl(String jdbcUrl) {
        if (!jdbcUrl.startsWith("jdbc:mysql:") || jdbcUrl.contains("permitMysqlScheme")) {
            return jdbcUrl;
        }
        return jdbcUrl + (jdbcUrl.indexOf('?') < 0 ? "?" : "&") + "permitMysqlScheme";
    }

    @Override
    public Properties connectionProperties() {
        Properties p = new Properties();
        p.setProperty(
                "sessionVariables",
                "sql_mode='" + SQL_MODE + "',time_zone='+00:00',character_set_client=utf8mb4,"
                        + "character_set_connection=utf8mb4,character_set_results=utf8mb4,"
                        + "collation_connection=utf8mb4_unicode_ci");
        return p;
    }

    @Override
    public Connection session(Connection c) throws SQLException {
        return MariaDbSession.wrap(c);
    }

    @Override
    public void oneSnapshot(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        }
    }

    @Override
    public String quote(String identifier) {
        return MariaDbIdentifiers.backtick(identifier);
    }

    @Override
    public List<String> listTables(Connection c) throws SQLException {
        return MariaDbSchemaReader.listTables(c);
    }

    @Override
    public boolean hasTable(Connection c, String name) throws SQLException {
        return MariaDbSchemaReader.hasTable(c, name);
    }

    @Override
    public Table readTable(Connection c, String name) throws SQLException {
        return MariaDbSchemaReader.readTable(c, name);
    }

    @Override
    public Optional<String> catalogStamp(Connection c) throws SQLException {
        return Optional.of(MariaDbCatalog.stamp(c));
    }

    @Override
    public Optional<Boolean> columnHasDefault(Connection c, String table, String column) throws SQLException {
        return Optional.of(MariaDbCatalog.hasDefault(c, table, column));
    }

    @Override
    public boolean batchesApplyWrites() {
        return true;
    }

    /** A derived table with LIMIT is materialized before the outer query reads it: a span is bounded by its last key. */
    @Override
    public boolean streamsDerivedTables() {
        return false;
    }

    /** InnoDB checks foreign keys per row and cannot defer them; apply order and the pending queue see to them. */
    @Override
    public boolean supportsDeferredConstraints() {
        return false;
    }

    @Override
    public boolean refusesDeletingSelfReferences() {
        return true;
    }

    @Override
    public Object toDatabase(Column column, Object value) {
        return MariaDbValues.toDatabase(column, value);
    }

    @Override
    public String identityPrimaryKey() {
        return "BIGINT AUTO_INCREMENT PRIMARY KEY";
    }

    @Override
    public String binaryType() {
        return "LONGBLOB";
    }

    @Override
    public String indexedText(int chars) {
        return "VARCHAR(" + chars + ")";
    }

    @Override
    public String indexedBinary(int bytes) {
        return "VARBINARY(" + bytes + ")";
    }

    @Override
    public String jsonArrayElements(String alias) {
        return "JSON_TABLE(?, '$[*]' COLUMNS (value LONGTEXT PATH '$')) AS " + alias;
    }

    @Override
    public String hexToBinary(String expression) {
        return "unhex(" + expression + ")";
    }

    @Override
    public void bindValue(PreparedStatement ps, int index, Column column, Object value) throws SQLException {
        MariaDbValues.bind(ps, index, column, value);
    }

    @Override
    public CaptureSql capture() {
        return capture;
    }

    private static CaptureSql capture(Dialect dialect) {
        MariaDbKeys keys = new MariaDbKeys(dialect);
        MariaDbFold fold = new MariaDbFold(keys);
        return CaptureSql.of(
                new MariaDbMetadata(),
                new MariaDbTriggers(dialect, keys),
                keys,
                fold,
                new MariaDbApply(keys, fold),
                new MariaDbClock(fold));
    }

    @Override
    public String qualified(Connection c, String table) throws SQLException {
        String schema = io.shuttlebridge.core.internal.Jdbc.queryString(c, "SELECT DATABASE()")
                .orElseThrow(() -> new SQLException("the connection works in no schema"));
        return quote(schema) + "." + quote(table);
    }
}
