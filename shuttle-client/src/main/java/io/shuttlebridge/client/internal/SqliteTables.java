package io.shuttlebridge.client.internal;

import io.shuttlebridge.core.internal.protocol.HubSchema;
import io.shuttlebridge.core.internal.schema.Column;
import io.shuttlebridge.core.internal.schema.ColumnDefaults;
import io.shuttlebridge.core.internal.schema.ForeignKey;
import io.shuttlebridge.core.internal.schema.TypeMapping;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code CREATE TABLE} statements that give a device the hub's synced tables. A SQLite hub's
 * declared types are kept as written (so type affinity, and what the application sees through
 * JDBC metadata, is the same on both sides); a PostgreSQL hub's types go through
 * {@link TypeMapping#sqliteColumnType}, which keeps exact decimals, timestamps with their zone,
 * UUIDs and JSON as text (a NUMERIC affinity would turn decimal text into binary reals).
 */
public final class SqliteTables {
    private SqliteTables() {}

    public static String createTable(HubSchema.TableSpec t, String hubDialect) {
        List<String> parts = new ArrayList<>();
        for (Column c : t.table().columns()) {
            boolean notNull =
                    !c.nullable() && !c.inPrimaryKey() && !t.excluded().contains(c.name());
            parts.add(columnDefinition(c, hubDialect)
                    + defaultClause(t.defaults().get(c.name()))
                    + (notNull ? " NOT NULL" : ""));
        }
        parts.add("PRIMARY KEY ("
                + t.table().primaryKey().stream().map(SqliteTables::quote).collect(Collectors.joining(", ")) + ")");
        for (ForeignKey fk : t.table().foreignKeys()) {
            parts.add("FOREIGN KEY ("
                    + fk.childColumns().stream().map(SqliteTables::quote).collect(Collectors.joining(", "))
                    + ") REFERENCES " + quote(fk.parentTable()) + " ("
                    + fk.parentColumns().stream().map(SqliteTables::quote).collect(Collectors.joining(", ")) + ")");
        }
        return "CREATE TABLE IF NOT EXISTS " + quote(t.name()) + " (\n  " + String.join(",\n  ", parts) + "\n)";
    }

    /**
     * {@code ALTER TABLE ... ADD COLUMN} for a column the hub's table gained: same type as a clone would
     * give it, and nullable (rows the device has get NULL until the hub's values arrive; SQLite cannot
     * add a NOT NULL column without a default).
     */
    public static String addColumn(String table, Column c, String hubDialect) {
        return addColumn(table, c, hubDialect, null);
    }

    /**
     * {@link #addColumn(String, Column, String)} with the hub's default of the column, a safe constant the
     * hub's schema announced ({@link ColumnDefaults}), or null for none: rows the application inserts
     * afterwards without the column take the same default as on the hub.
     */
    public static String addColumn(String table, Column c, String hubDialect, Object defaultValue) {
        return "ALTER TABLE " + quote(table) + " ADD COLUMN " + columnDefinition(c, hubDialect)
                + defaultClause(defaultValue);
    }

    private static String defaultClause(Object defaultValue) {
        return defaultValue == null ? "" : " DEFAULT " + ColumnDefaults.sql(defaultValue);
    }

    private static String columnDefinition(Column c, String hubDialect) {
        String type = "sqlite".equals(hubDialect) ? c.declaredType() : TypeMapping.sqliteColumnType(c);
        return quote(c.name()) + (type.isBlank() ? "" : " " + type);
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
