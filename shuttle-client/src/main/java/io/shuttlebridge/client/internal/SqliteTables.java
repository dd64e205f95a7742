package io.shuttlebridge.client.internal;

import io.shuttlebridge.core.internal.protocol.HubSchema;
import io.shuttlebridge.core.internal.schema.Column;
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
            String type = "sqlite".equals(hubDialect) ? c.declaredType() : TypeMapping.sqliteColumnType(c);
            boolean notNull =
                    !c.nullable() && !c.inPrimaryKey() && !t.excluded().contains(c.name());
            parts.add(quote(c.name()) + (type.isBlank() ? "" : " " + type) + (notNull ? " NOT NULL" : ""));
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

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
