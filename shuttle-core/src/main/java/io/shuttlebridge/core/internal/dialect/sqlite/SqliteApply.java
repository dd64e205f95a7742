package io.shuttlebridge.core.internal.dialect.sqlite;

import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.dialect.ApplyBracket;
import io.shuttlebridge.core.internal.dialect.CaptureLog;
import io.shuttlebridge.core.internal.dialect.FeedKeys;
import io.shuttlebridge.core.internal.dialect.FeedSql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applying remote changes on SQLite without echo: the triggers do not log while
 * {@code _shuttle_applying} holds its row; whatever they log during the apply all the same is
 * deleted before commit (SQLite has one writer, so the log's tail is exactly the apply's own echo)
 * and the remote entries go into the feed with their origin, hlc and version instead.
 */
final class SqliteApply implements ApplyBracket {
    private final FeedKeys keys;
    private final CaptureLog log;

    SqliteApply(FeedKeys keys, CaptureLog log) {
        this.keys = keys;
        this.log = log;
    }

    /** An applied entry and the feed seq it gets. */
    private record Numbered(AppliedEntry entry, long seq) {}

    @Override
    public long beginApply(Connection c) throws SQLException {
        log.fold(c);
        Jdbc.update(c, "INSERT OR REPLACE INTO _shuttle_applying (id) VALUES (1)");
        return Jdbc.queryLong(c, "SELECT max(seq) FROM _shuttle_log").orElse(0L);
    }

    @Override
    public void endApply(Connection c, long token, List<AppliedEntry> entries, long clockFloor) throws SQLException {
        Jdbc.update(c, "DELETE FROM _shuttle_applying");
        long lastLocalHlc = Jdbc.queryLong(c, "SELECT hlc FROM _shuttle_log WHERE seq = ?", token)
                .orElse(0L);
        // an echo of the apply, from triggers installed before they checked _shuttle_applying:
        // everything logged since beginApply, and its column stamps
        if (Jdbc.update(c, "DELETE FROM _shuttle_log WHERE seq > ?", token) > 0) {
            Jdbc.update(c, "DELETE FROM _shuttle_colclock WHERE origin = " + FeedSql.PENDING_ORIGIN);
        }
        if (entries.isEmpty()) {
            return;
        }
        // the log holds only its marker now (beginApply folded): the applied entries go straight into the
        // feed with the next seqs, and the marker moves past them, as a fold of them would have done
        long seq = token;
        long maxHlc = Math.max(lastLocalHlc, clockFloor);
        Map<SyncedTable, List<Numbered>> byTable = new LinkedHashMap<>();
        for (AppliedEntry e : entries) {
            byTable.computeIfAbsent(e.table(), x -> new ArrayList<>()).add(new Numbered(e, ++seq));
            maxHlc = Math.max(maxHlc, e.hlc());
        }
        for (var e : byTable.entrySet()) { // tables are independent; within one, entries keep their order
            SyncedTable t = e.getKey();
            try (MultiRowInsert<Numbered> insert =
                    new MultiRowInsert<>(c, n -> entriesSql(t, n), SqliteApply::bindEntry)) {
                insert.run(e.getValue());
            }
        }
        // the marker keeps the clock past every stamp written here or received, and at the applying engine's clock
        Jdbc.update(c, "UPDATE _shuttle_log SET seq = ?, hlc = ? WHERE seq = ?", seq, maxHlc, token);
    }

    private String entriesSql(SyncedTable t, int rows) {
        String row = "(" + t.id() + ", " + keys.keyParameterExpression(t) + ", ?, ?, ?, ?, ?, ?, ?, ?)";
        return FeedSql.INSERT_ENTRIES + " VALUES " + String.join(", ", Collections.nCopies(rows, row)) + " "
                + FeedSql.ENTRY_REPLACES;
    }

    private static int bindEntry(PreparedStatement ps, int i, Numbered n) throws SQLException {
        AppliedEntry e = n.entry();
        for (Object part : e.key()) {
            Jdbc.set(ps, i++, part);
        }
        ps.setLong(i++, n.seq());
        ps.setInt(i++, e.op());
        ps.setLong(i++, e.hlc());
        ps.setInt(i++, e.origin());
        ps.setLong(i++, e.version());
        ps.setLong(i++, e.base());
        Jdbc.set(ps, i++, e.scope());
        if (e.via() == null) {
            ps.setNull(i++, Types.INTEGER);
        } else {
            ps.setInt(i++, e.via());
        }
        return i;
    }
}
