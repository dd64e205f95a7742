package io.shuttlebridge.core.internal.dialect.postgres;

import io.shuttlebridge.core.internal.dialect.CaptureSql;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.schema.Column;
import io.shuttlebridge.core.internal.schema.Table;
import io.shuttlebridge.core.internal.schema.TypeMapping;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * PostgreSQL: capture triggers in PL/pgSQL ({@link PostgresTriggers}), the feed folded under an
 * advisory lock so that feed seqs follow commit order ({@link PostgresFold}), text feed keys
 * ({@link PostgresKeys}), many concurrent sessions. Works in the connection's
 * {@code current_schema()}.
 */
public final class PostgresDialect implements Dialect {
    private final CaptureSql capture = capture(this);

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public boolean handlesUrl(String jdbcUrl) {
        return jdbcUrl.startsWith("jdbc:postgresql:");
    }

    /** The channel the fold notifies when the feed advances. */
    public static final String FEED_CHANNEL = "shuttle_feed";

    @Override
    public Optional<String> feedChannel() {
        return Optional.of(FEED_CHANNEL);
    }

    @Override
    public Properties connectionProperties() {
        Properties p = new Properties();
        // text values (ISO timestamps, uuids, json, decimals from SQLite devices) are typed by their column
        p.setProperty("stringtype", "unspecified");
        p.setProperty("ApplicationName", "shuttle");
        return p;
    }

    @Override
    public List<String> listTables(Connection c) throws SQLException {
        return PostgresSchemaReader.listTables(c);
    }

    @Override
    public boolean hasTable(Connection c, String name) throws SQLException {
        return PostgresSchemaReader.hasTable(c, name);
    }

    @Override
    public Table readTable(Connection c, String name) throws SQLException {
        return PostgresSchemaReader.readTable(c, name);
    }

    @Override
    public boolean batchesApplyWrites() {
        return true;
    }

    @Override
    public BulkUpsert bulkUpsert(Connection c, Table table, List<String> key, List<String> columns) {
        return PostgresBulkUpsert.of(c, table, key, columns, this::quote);
    }

    /** Only constraints declared DEFERRABLE are deferred; the others rely on apply order and the pending queue. */
    @Override
    public boolean supportsDeferredConstraints() {
        return true;
    }

    @Override
    public String deferConstraintsStatement() {
        return "SET CONSTRAINTS ALL DEFERRED";
    }

    @Override
    public Object toDatabase(Column column, Object value) {
        return TypeMapping.toPostgres(column, value);
    }

    @Override
    public CaptureSql capture() {
        return capture;
    }

    private static CaptureSql capture(Dialect dialect) {
        PostgresKeys keys = new PostgresKeys(dialect);
        PostgresFold fold = new PostgresFold(keys);
        return CaptureSql.of(
                new PostgresMetadata(),
                new PostgresTriggers(dialect, keys),
                keys,
                fold,
                new PostgresApply(new AppliedKeys(keys)),
                new PostgresClock(fold));
    }
}
