package io.shuttlebridge.server;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Everything a SQLite hub database holds, read with plain SQL: to show that a request changed nothing. */
final class HubTables {
    private HubTables() {}

    /**
     * Every table's rows (the {@code _shuttle_} ones included), each row as text with its value
     * types, sorted; and the schema itself ({@code sqlite_master}) under the key {@code "schema"}.
     */
    static Map<String, List<String>> snapshot(Path file) throws SQLException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            out.put("schema", rows(c, "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"));
            List<String> tables = new ArrayList<>();
            try (Statement st = c.createStatement();
                    ResultSet rs =
                            st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                List<String> rows = rows(c, "SELECT * FROM \"" + table.replace("\"", "\"\"") + "\"");
                rows.sort(null);
                out.put(table, rows);
            }
        }
        return out;
    }

    /** The rows a query returns, each as its columns' text joined with '|'. */
    static List<String> query(Path file, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getString(i));
                }
                out.add(String.join("|", row));
            }
        }
        return out;
    }

    private static List<String> rows(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    Object v = rs.getObject(i);
                    if (i > 1) {
                        b.append('|');
                    }
                    b.append(
                            v instanceof byte[] bytes
                                    ? "x'" + HexFormat.of().formatHex(bytes) + "'"
                                    : v == null
                                            ? "NULL"
                                            : v + ":" + v.getClass().getSimpleName());
                }
                out.add(b.toString());
            }
        }
        return out;
    }
}
