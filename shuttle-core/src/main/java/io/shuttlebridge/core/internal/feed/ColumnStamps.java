package io.shuttlebridge.core.internal.feed;

import io.shuttlebridge.core.change.Stamp;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Per-column stamps of FIELD_LWW tables, kept in {@code _shuttle_colclock}. */
public final class ColumnStamps {
    private static final int IN_CHUNK = 500;

    private ColumnStamps() {}

    /** Stamps of the given rows (by stored feed key), column name to stamp. */
    public static Map<Object, Map<String, Stamp>> load(Connection c, SyncedTable t, List<Object> storedKeys)
            throws SQLException {
        Map<Object, Map<String, Stamp>> out = new HashMap<>();
        for (int from = 0; from < storedKeys.size(); from += IN_CHUNK) {
            List<Object> chunk = storedKeys.subList(from, Math.min(storedKeys.size(), from + IN_CHUNK));
            String sql =
                    "SELECT s.pk, s.col, s.hlc, n.uuid FROM _shuttle_colclock s JOIN _shuttle_nodes n ON n.id = s.origin"
                            + " WHERE s.tbl = ? AND s.pk IN ("
                            + chunk.stream().map(x -> "?").collect(Collectors.joining(", ")) + ")";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setInt(1, t.id());
                int i = 2;
                for (Object k : chunk) {
                    ps.setObject(i++, k);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.computeIfAbsent(FeedReader.keyOf(Jdbc.readValue(rs, 1)), k -> new HashMap<>())
                                .put(rs.getString(2), new Stamp(rs.getLong(3), rs.getString(4)));
                    }
                }
            }
        }
        return out;
    }
}
