package io.shuttlebridge.core.internal.sync;

import io.shuttlebridge.core.internal.MetaKeys;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The tables a hub asked this device to reconcile, and those it said rows moved into ({@link
 * io.shuttlebridge.core.sync.PullResult#movedIn}, each with the earliest cursor it was said from), kept in
 * {@code _shuttle_meta} in the same transaction as the pulled page that asked, so a sync interrupted
 * before reconciling does it the next time. Internal.
 */
final class PendingReconcile {
    private static final String KEY = "reconcile:";
    private static final String MOVED = "moved_in:";

    private PendingReconcile() {}

    static Set<String> get(Connection c, String hubNode) throws SQLException {
        return MetaKeys.set(c, KEY + hubNode);
    }

    static void add(Connection c, String hubNode, Collection<String> tables) throws SQLException {
        Set<String> all = get(c, hubNode);
        if (all.addAll(tables)) {
            MetaKeys.putSet(c, KEY + hubNode, all);
        }
    }

    /** Forgets the tables to reconcile and those rows moved into: a snapshot of them, or a reconcile, settled them. */
    static void clear(Connection c, String hubNode) throws SQLException {
        MetaKeys.remove(c, KEY + hubNode);
        clearMovedIn(c, hubNode);
    }

    /** The tables rows moved into, each with the cursor to ask from, in the order they were said. */
    static Map<String, Long> movedIn(Connection c, String hubNode) throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        MetaKeys.get(c, MOVED + hubNode).filter(v -> !v.isEmpty()).ifPresent(v -> {
            for (String line : v.split("\n")) {
                int tab = line.lastIndexOf('\t');
                out.put(line.substring(0, tab), Long.parseLong(line.substring(tab + 1)));
            }
        });
        return out;
    }

    /** Notes that rows moved into {@code tables} after cursor {@code since} (an earlier cursor noted stays). */
    static void addMovedIn(Connection c, String hubNode, Collection<String> tables, long since) throws SQLException {
        Map<String, Long> all = movedIn(c, hubNode);
        boolean grew = false;
        for (String t : tables) {
            grew |= all.putIfAbsent(t, since) == null;
        }
        if (grew) {
            StringBuilder v = new StringBuilder();
            all.forEach((t, s) ->
                    v.append(v.isEmpty() ? "" : "\n").append(t).append('\t').append(s));
            MetaKeys.put(c, MOVED + hubNode, v.toString());
        }
    }

    static void clearMovedIn(Connection c, String hubNode) throws SQLException {
        MetaKeys.remove(c, MOVED + hubNode);
    }
}
