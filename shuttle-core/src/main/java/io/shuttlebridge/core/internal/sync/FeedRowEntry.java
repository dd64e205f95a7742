package io.shuttlebridge.core.internal.sync;

import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.dialect.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * A row's entry in the feed, found from its key values (the stored key form is the dialect's to
 * compute). Internal.
 *
 * @param storedKey the feed's form of the key
 * @param seq the entry's position
 * @param hlc the stamp of the row's latest write
 */
record FeedRowEntry(Object storedKey, long seq, long hlc) {

    static FeedRowEntry find(Connection c, Dialect dialect, SyncedTable t, List<Object> key) throws SQLException {
        String sql = "SELECT pk, seq, hlc FROM _shuttle_feed WHERE tbl = ? AND pk = "
                + dialect.capture().keyParameterExpression(t);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, t.id());
            for (int i = 0; i < key.size(); i++) {
                ps.setObject(i + 2, key.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new FeedRowEntry(Jdbc.readValue(rs, 1), rs.getLong(2), rs.getLong(3)) : null;
            }
        }
    }

    /** Forgets the entry: the row's history here starts again with whatever is applied next. */
    void forget(Connection c, SyncedTable t) throws SQLException {
        Jdbc.update(c, "DELETE FROM _shuttle_feed WHERE tbl = ? AND seq = ?", t.id(), seq);
    }
}
