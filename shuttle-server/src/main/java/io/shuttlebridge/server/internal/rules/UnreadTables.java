package io.shuttlebridge.server.internal.rules;

import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.server.internal.StreamHub;
import io.shuttlebridge.server.rules.Predicate;
import io.shuttlebridge.server.rules.SyncRules;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The synced tables no device reads under sync rules and no rule's predicate reads either (an audit
 * log kept on the hub, say): a change to them moves nothing into or out of any device's set, so an
 * advance of the feed made only of their entries concerns no device, and the hub's streams need not
 * wake devices for it ({@link StreamHub#tellOnlyWhen}). Rules are the same for every subject, so this
 * holds for every stream. Internal.
 */
public final class UnreadTables implements StreamHub.Relevance {
    private final ShuttleDatabase db;
    private final String ids;

    private UnreadTables(ShuttleDatabase db, Set<Integer> ids) {
        this.db = db;
        this.ids = ids.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    /** The relevance of feed ranges under {@code rules}, or null when every table concerns some device. */
    public static UnreadTables of(SyncRules rules, SyncSchema schema, ShuttleDatabase db) {
        ReadSetChanges named = new ReadSetChanges(rules, schema);
        Set<Integer> unread = new TreeSet<>();
        for (SyncedTable t : schema.tables()) {
            if (rules.table(t.name()).read() instanceof Predicate.None
                    && !named.watched().contains(t.name())) {
                unread.add(t.id());
            }
        }
        return unread.isEmpty() ? null : new UnreadTables(db, unread);
    }

    /** Whether some entry in the range is of a table a device reads or a predicate reads: the first one found tells. */
    @Override
    public boolean concerns(long after, long through) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM _shuttle_feed WHERE seq > ? AND seq <= ?"
                    + " AND tbl NOT IN (" + ids + ") LIMIT 1")) {
                ps.setLong(1, after);
                ps.setLong(2, through);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }
}
