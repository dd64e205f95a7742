package io.shuttlebridge.bridge.internal.resolve;

import io.shuttlebridge.bridge.internal.target.TargetTable;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.schema.Column;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * The rows of other tables (or of the same one) that reference a target row through a foreign key
 * without {@code ON DELETE CASCADE / SET NULL / SET DEFAULT}: such a row must not be deleted while
 * they exist. Reconciliation asks before deleting a parent, so a parent gone from the source waits
 * until its children are gone too (Bridge deletes children first when it runs several entities).
 */
public final class ChildReferences {
    private final Connection c;
    private final Dialect dialect;
    private final String table;
    /** The key columns, whose values the queries are given. */
    private final Column[] keyColumns;

    private final List<String> sql = new ArrayList<>();
    private boolean self;

    private ChildReferences(Connection c, Dialect dialect, String table, Column[] keyColumns) {
        this.c = c;
        this.dialect = dialect;
        this.table = table;
        this.keyColumns = keyColumns;
    }

    /** The restricting references to {@code target}, whose rows are identified by the {@code keys} columns. */
    public static ChildReferences of(Connection c, Dialect dialect, TargetTable target, List<String> keys) {
        String table = target.name();
        ChildReferences out = new ChildReferences(c, dialect, table, target.columns(keys));
        try {
            DatabaseMetaData meta = c.getMetaData();
            List<List<String[]>> fks = new ArrayList<>();
            List<Boolean> restricting = new ArrayList<>();
            try (ResultSet rs = meta.getExportedKeys(c.getCatalog(), c.getSchema(), table)) {
                while (rs.next()) {
                    if (rs.getShort("KEY_SEQ") <= 1 || fks.isEmpty()) {
                        fks.add(new ArrayList<>()); // a new foreign key starts with its first column
                        int rule = rs.getInt("DELETE_RULE");
                        restricting.add(rule != DatabaseMetaData.importedKeyCascade
                                && rule != DatabaseMetaData.importedKeySetNull
                                && rule != DatabaseMetaData.importedKeySetDefault);
                    }
                    fks.get(fks.size() - 1).add(new String[] {
                        rs.getString("FKTABLE_NAME"), rs.getString("FKCOLUMN_NAME"), rs.getString("PKCOLUMN_NAME")
                    });
                }
            }
            for (int i = 0; i < fks.size(); i++) {
                if (restricting.get(i)) {
                    out.sql.add(query(dialect, table, keys, fks.get(i)));
                    out.self |= fks.get(i).get(0)[0].equalsIgnoreCase(table);
                }
            }
        } catch (SQLException e) {
            throw ShuttleException.database("reading the foreign keys that reference " + table, e);
        }
        return out;
    }

    private static String query(Dialect dialect, String table, List<String> keys, List<String[]> cols) {
        UnaryOperator<String> q = dialect::quote;
        String child = q.apply(cols.get(0)[0]);
        List<String> parentCols =
                cols.stream().map(x -> x[2].toLowerCase(Locale.ROOT)).toList();
        List<String> keyCols =
                keys.stream().map(k -> k.toLowerCase(Locale.ROOT)).toList();
        if (parentCols.size() == keyCols.size() && parentCols.containsAll(keyCols)) {
            // the foreign key references the business key itself
            String where = keys.stream()
                    .map(k -> q.apply(cols.get(parentCols.indexOf(k.toLowerCase(Locale.ROOT)))[1]) + " = ?")
                    .collect(Collectors.joining(" AND "));
            return "SELECT 1 FROM " + child + " WHERE " + where + " LIMIT 1";
        }
        String on = cols.stream()
                .map(x -> "ch." + q.apply(x[1]) + " = p." + q.apply(x[2]))
                .collect(Collectors.joining(" AND "));
        String where = keys.stream().map(k -> "p." + q.apply(k) + " = ?").collect(Collectors.joining(" AND "));
        return "SELECT 1 FROM " + child + " ch JOIN " + q.apply(table) + " p ON " + on + " WHERE " + where + " LIMIT 1";
    }

    public boolean none() {
        return sql.isEmpty();
    }

    /** Whether rows of the table itself may reference a row (a tree). */
    public boolean selfReferencing() {
        return self;
    }

    /** Whether some row still references the row whose business-key values are given (in key-column order). */
    public boolean referenced(Object[] keyValues) {
        for (String s : sql) {
            try (PreparedStatement ps = c.prepareStatement(s)) {
                for (int i = 0; i < keyValues.length; i++) {
                    dialect.bindValue(ps, i + 1, keyColumns[i], keyValues[i]);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return true;
                    }
                }
            } catch (SQLException e) {
                throw ShuttleException.database("looking for rows that reference " + table, e);
            }
        }
        return false;
    }
}
