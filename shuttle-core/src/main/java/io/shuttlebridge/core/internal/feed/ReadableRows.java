package io.shuttlebridge.core.internal.feed;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.dialect.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Every row of a table a reader may have, each with the stamp of its feed entry, in one statement (the
 * condition evaluated once over the table, its rows joined with their feed entries by key), handed to a
 * visitor as the change that would carry it. For a table under per-column policies the columns' own
 * stamps are not read: such a table is not {@link #supports supported}. Internal.
 */
public final class ReadableRows {
    /** What is done with each row; false stops the scan. */
    @FunctionalInterface
    public interface Visitor {
        boolean row(Change row);
    }

    private ReadableRows() {}

    /** Whether rows of {@code t} can be read this way (their changes carry no per-column stamps). */
    public static boolean supports(SyncedTable t) {
        return t.policy() != ConflictPolicy.FIELD_LWW;
    }

    /** Hands each row of {@code t} that satisfies {@code condition} to {@code visitor}, until it says stop. */
    public static void scan(Connection c, Dialect dialect, SyncedTable t, RowCondition condition, Visitor visitor)
            throws SQLException {
        Map<Integer, String> nodes = FeedReader.nodes(c);
        List<String> cols = t.replicatedColumns();
        String key = dialect.capture().keyExpression(t, "t");
        String sql = "SELECT " + key + ", "
                + cols.stream().map(col -> "t." + dialect.quote(col)).collect(Collectors.joining(", "))
                + ", f.hlc, f.origin, f.version, " + EntryBase.of("f")
                + " FROM (SELECT * FROM " + dialect.quote(t.name())
                + (condition.all() ? "" : " WHERE (" + condition.sql() + ")") + ") t JOIN _shuttle_feed f ON f.tbl = ?"
                + " AND f.op = " + Op.UPSERT.code() + " AND f.pk = " + key;
        int at = cols.size() + 2;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setFetchSize(5000);
            int i = 1;
            for (Object arg : condition.args()) {
                Jdbc.set(ps, i++, arg);
            }
            ps.setInt(i, t.id());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int node = rs.getInt(at + 1);
                    String origin = nodes.get(node);
                    if (origin == null) {
                        throw new ShuttleException(
                                ErrorCode.INTERNAL,
                                "a feed entry of " + t.name() + " names origin node " + node
                                        + ", which _shuttle_nodes does not hold");
                    }
                    Change row = new Change(
                            t.name(),
                            dialect.capture().decodeKey(t, Jdbc.readValue(rs, 1)),
                            Op.UPSERT,
                            FeedReader.readRow(rs, cols),
                            rs.getLong(at),
                            origin,
                            rs.getLong(at + 2),
                            rs.getLong(at + 3),
                            Map.of());
                    if (!visitor.row(row)) {
                        return;
                    }
                }
            }
        }
    }
}
