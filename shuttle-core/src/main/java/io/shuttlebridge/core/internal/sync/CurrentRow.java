package io.shuttlebridge.core.internal.sync;

import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.feed.FeedReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** One row as this database's feed holds it: its latest change (a tombstone for a deleted row). Internal. */
final class CurrentRow {
    private CurrentRow() {}

    /** The row's latest change, or null when the feed holds nothing for it. */
    static Change of(Connection c, Dialect dialect, SyncSchema schema, String table, List<Object> key)
            throws SQLException {
        SyncedTable t = schema.table(table).orElse(null);
        if (t == null) {
            return null;
        }
        FeedRowEntry entry = FeedRowEntry.find(c, dialect, t, key);
        if (entry == null) {
            return null;
        }
        long seq = entry.seq();
        FeedReader.Page page = new FeedReader(dialect, schema).readFolded(c, FeedReader.Query.after(seq - 1, 1));
        return page.entries().isEmpty() ? null : page.entries().get(0).change();
    }
}
