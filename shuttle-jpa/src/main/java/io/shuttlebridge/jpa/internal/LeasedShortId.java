package io.shuttlebridge.jpa.internal;

import io.shuttlebridge.core.ShuttleException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * The short id a database leased from its hub, as the device client keeps it in {@code
 * _shuttle_meta} ({@code lease_short_id}), with the database's node uuid.
 */
record LeasedShortId(String nodeUuid, int shortId) {
    static final String META = "_shuttle_meta";
    static final String NODE_UUID = "node_uuid";
    static final String SHORT_ID = io.shuttlebridge.core.id.KSortedIds.LEASED_SHORT_ID_KEY;

    /**
     * Reads the lease on {@code c}, inside whatever transaction it is in; empty when the database has
     * no sync metadata or no lease. The table is looked for first, so that no failing statement
     * aborts a PostgreSQL transaction.
     */
    static Optional<LeasedShortId> read(Connection c) {
        try {
            if (!hasMetaTable(c)) {
                return Optional.empty();
            }
            String node = null;
            String shortId = null;
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT key, value FROM " + META + " WHERE key IN ('" + NODE_UUID
                            + "', '" + SHORT_ID + "')")) {
                while (rs.next()) {
                    if (rs.getString(1).equals(NODE_UUID)) {
                        node = rs.getString(2);
                    } else {
                        shortId = rs.getString(2);
                    }
                }
            }
            if (node == null || shortId == null) {
                return Optional.empty();
            }
            return Optional.of(new LeasedShortId(node, Integer.parseInt(shortId.trim())));
        } catch (SQLException e) {
            throw ShuttleException.database("reading the leased short id from " + META, e);
        }
    }

    private static boolean hasMetaTable(Connection c) throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        String escape = md.getSearchStringEscape();
        String pattern = escape == null || escape.isEmpty() ? META : META.replace("_", escape + "_");
        try (ResultSet rs = md.getTables(c.getCatalog(), c.getSchema(), pattern, null)) {
            while (rs.next()) {
                if (META.equalsIgnoreCase(rs.getString("TABLE_NAME"))) {
                    return true;
                }
            }
            return false;
        }
    }
}
