package io.shuttlebridge.core.internal.sync;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.internal.schema.Column;
import io.shuttlebridge.core.sync.PullResult;
import io.shuttlebridge.core.sync.Transport;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives a device's rows the hub's values of the columns it added when its hub's schema gained them
 * ({@link NewColumns}): the table's rows are read from the hub's snapshot of that table, and each value
 * is written where the device's column is NULL, without capturing it. A row the device wrote before it
 * knew the column (its write not pushed yet) so carries the hub's values when it is pushed; a value the
 * device's application wrote into the new column is kept. The last page clears the table's note in the
 * same transaction, but for the columns the hub announced it has not filled itself yet (a store hub of a
 * tier, {@link NewColumns}): those stay noted, and a table all of whose unfilled columns are so awaited is
 * not read from the hub at all until the hub has them. Internal.
 */
final class NewColumnFill {
    private static final Logger log = LoggerFactory.getLogger(NewColumnFill.class);
    /** How many times a fill starts over because the hub no longer knew its snapshot cursor, before giving up. */
    private static final int MAX_RESTARTS = 3;

    private final EngineContext engine;
    private final ShuttleDatabase db;

    NewColumnFill(EngineContext engine) {
        this.engine = engine;
        this.db = engine.db();
    }

    /** Fills every table's new columns from the hub. */
    void run(Transport hub) {
        Map<String, Set<String>> pending = db.read(NewColumns::pending);
        for (var e : pending.entrySet()) {
            SyncedTable t = engine.schema().table(e.getKey()).orElse(null);
            List<String> columns = t == null
                    ? List.of()
                    : e.getValue().stream()
                            .filter(col -> t.replicatedColumns().contains(col))
                            .toList();
            if (columns.isEmpty()) {
                db.transaction(c -> {
                    NewColumns.filled(c, e.getKey()); // nothing of it is synced (any more)
                    return null;
                });
                continue;
            }
            if (db.read(c -> NewColumns.awaitedFromHub(c, t.name())).containsAll(columns)) {
                log.debug(
                        "the hub has not taken the values of the new columns {} of \"{}\" itself yet: they are"
                                + " taken once it has",
                        String.join(", ", columns),
                        t.name());
                continue;
            }
            fill(hub, t, columns);
        }
    }

    private void fill(Transport hub, SyncedTable t, List<String> columns) {
        Dialect dialect = Dialects.of(db);
        String self = engine.nodeUuid();
        long after = 0;
        int restarts = 0;
        long filled = 0;
        while (true) {
            PullResult page = hub.snapshot(self, after, engine.pageSize(), Set.of(t.name()));
            if (page.resyncRequired()) {
                if (after == 0 || ++restarts > MAX_RESTARTS) {
                    throw new ShuttleException(
                            ErrorCode.TRANSPORT,
                            "the hub keeps answering the snapshot of \"" + t.name() + "\" with 'resync'");
                }
                after = 0;
                continue;
            }
            boolean last = !page.more();
            filled += db.transaction(c -> {
                long token = dialect.capture().beginApply(c);
                int n = write(c, dialect, t, columns, page.changes());
                dialect.capture().endApply(c, token, List.of());
                if (last) {
                    NewColumns.filledAsTheHubIs(c, t.name());
                }
                return n;
            });
            if (last) {
                break;
            }
            after = page.next();
        }
        log.info(
                "took the hub's values of the new columns {} of \"{}\" ({} rows)",
                String.join(", ", columns),
                t.name(),
                filled);
    }

    /** Writes the page's values of {@code columns} where the row here holds NULL; returns how many rows changed. */
    private static int write(Connection c, Dialect dialect, SyncedTable t, List<String> columns, List<Change> page)
            throws SQLException {
        String sql = "UPDATE " + dialect.quote(t.name()) + " SET "
                + columns.stream()
                        .map(col -> dialect.quote(col) + " = coalesce(" + dialect.quote(col) + ", ?)")
                        .collect(Collectors.joining(", "))
                + " WHERE "
                + t.key().stream().map(k -> dialect.quote(k) + " = ?").collect(Collectors.joining(" AND "))
                + " AND ("
                + columns.stream().map(col -> dialect.quote(col) + " IS NULL").collect(Collectors.joining(" OR "))
                + ")";
        List<Column> meta = new ArrayList<>();
        for (String col : columns) {
            meta.add(t.table().column(col).orElseThrow());
        }
        int rows = 0;
        int batched = 0;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (Change ch : page) {
                if (ch.isDelete() || !ch.table().equals(t.name()) || !hasAny(ch, columns)) {
                    continue;
                }
                int i = 1;
                for (int k = 0; k < columns.size(); k++) {
                    Jdbc.set(
                            ps, i++, dialect.toDatabase(meta.get(k), ch.values().get(columns.get(k))));
                }
                for (Object part : ch.key()) {
                    ps.setObject(i++, part);
                }
                ps.addBatch();
                batched++;
            }
            if (batched > 0) {
                for (int n : ps.executeBatch()) {
                    rows += Math.max(n, 0);
                }
            }
        }
        return rows;
    }

    private static boolean hasAny(Change ch, List<String> columns) {
        for (String col : columns) {
            if (ch.values().get(col) != null) {
                return true;
            }
        }
        return false;
    }
}
