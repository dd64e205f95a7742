package io.shuttlebridge.core.internal.sync;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.feed.Feed;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Writes the row a conflict settlement chose, as an ordinary captured write that syncs like any other. Internal. */
final class SettlementWriter {
    private SettlementWriter() {}

    /** Writes the chosen row (null: delete it) as a local write, logged even when the values equal the current row. */
    static void write(Connection c, Dialect d, SyncedTable t, List<Object> key, Map<String, Object> values)
            throws SQLException {
        String where = t.key().stream().map(k -> d.quote(k) + " = ?").collect(Collectors.joining(" AND "));
        if (values == null) {
            Jdbc.update(c, "DELETE FROM " + d.quote(t.name()) + " WHERE " + where, key.toArray());
            return;
        }
        Map<String, Object> row = new HashMap<>(values);
        for (int i = 0; i < t.key().size(); i++) {
            row.put(t.key().get(i), key.get(i));
        }
        List<String> cols =
                t.replicatedColumns().stream().filter(row::containsKey).toList();
        for (String col : row.keySet()) {
            if (!t.replicatedColumns().contains(col)) {
                throw new ShuttleException(
                        ErrorCode.INVALID_ARGUMENT,
                        "table \"" + t.name() + "\" has no replicated column \"" + col + "\"");
            }
        }
        List<String> set = cols.stream().filter(x -> !t.key().contains(x)).toList();
        boolean exists = set.size() < t.replicatedColumns().size() - t.key().size()
                && Jdbc.queryLong(
                                        c,
                                        "SELECT count(*) FROM " + d.quote(t.name()) + " WHERE " + where,
                                        keyArgs(d, t, key))
                                .orElse(0L)
                        > 0;
        String sql;
        List<Object> args = new ArrayList<>();
        if (exists) {
            // some columns left out (of a write kept when the table changed shape): an update keeps the others,
            // where an upsert would first try to insert the row without them
            sql = "UPDATE " + d.quote(t.name()) + " SET "
                    + (set.isEmpty()
                            ? d.quote(t.key().get(0)) + " = " + d.quote(t.key().get(0))
                            : set.stream().map(x -> d.quote(x) + " = ?").collect(Collectors.joining(", ")))
                    + " WHERE " + where;
            set.forEach(x -> args.add(d.toDatabase(t.table().column(x).orElseThrow(), row.get(x))));
            args.addAll(List.of(keyArgs(d, t, key)));
        } else {
            sql = "INSERT INTO " + d.quote(t.name()) + " ("
                    + cols.stream().map(d::quote).collect(Collectors.joining(", "))
                    + ") VALUES (" + cols.stream().map(x -> "?").collect(Collectors.joining(", ")) + ")"
                    + Dialect.onConflictUpdate(t.key(), cols, d::quote);
            cols.forEach(x -> args.add(d.toDatabase(t.table().column(x).orElseThrow(), row.get(x))));
        }
        d.capture().fold(c);
        long before = Feed.top(c);
        Jdbc.update(c, sql, args.toArray());
        d.capture().fold(c);
        long entrySeq = Jdbc.queryLong(
                        c,
                        "SELECT seq FROM _shuttle_feed WHERE tbl = ? AND pk = "
                                + d.capture().keyParameterExpression(t),
                        prepend(t.id(), key))
                .orElse(0L);
        if (entrySeq <= before) {
            // the chosen values equal the row as it is: still a new write, so every replica takes it
            d.capture().logLocalWrite(c, t, key);
            d.capture().fold(c);
        }
    }

    private static Object[] keyArgs(Dialect d, SyncedTable t, List<Object> key) {
        Object[] out = new Object[key.size()];
        for (int i = 0; i < key.size(); i++) {
            out[i] = d.toDatabase(t.table().column(t.key().get(i)).orElseThrow(), key.get(i));
        }
        return out;
    }

    private static Object[] prepend(Object first, List<Object> rest) {
        Object[] out = new Object[rest.size() + 1];
        out[0] = first;
        for (int i = 0; i < rest.size(); i++) {
            out[i + 1] = rest.get(i);
        }
        return out;
    }
}
