package io.shuttlebridge.core.internal.dialect.mariadb;

import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.dialect.ApplyBracket;
import io.shuttlebridge.core.internal.dialect.CaptureLog;
import io.shuttlebridge.core.internal.dialect.FeedSql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applying remote changes on MariaDB without echo. While the engine applies, the session variable
 * {@code @shuttle_applying} is set and the triggers of that session log nothing; it lives no longer than
 * the transaction ({@link MariaDbSession} clears it at commit or rollback). Other sessions' writes are
 * captured meanwhile: the variable is the applying session's own.
 *
 * <p>The apply runs under the fold lock {@link #beginApply} took (the clock row), so its feed entries,
 * written at the end with fresh seqs after the clock's, become visible in order like any fold's. A row
 * written twice keeps its last entry.
 */
final class MariaDbApply implements ApplyBracket {
    private static final String WRITE = FeedSql.INSERT_ENTRIES + " VALUES ";
    private static final String ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final MariaDbKeys keys;
    private final CaptureLog log;

    MariaDbApply(MariaDbKeys keys, CaptureLog log) {
        this.keys = keys;
        this.log = log;
    }

    @Override
    public long beginApply(Connection c) throws SQLException {
        log.fold(c); // takes the fold lock until commit: seqs stay in commit order
        Jdbc.execute(c, "SET @shuttle_applying = 1");
        MariaDbSession.applying(c, true);
        return 0;
    }

    @Override
    public void endApply(Connection c, long token, List<AppliedEntry> entries, long clockFloor) throws SQLException {
        Jdbc.execute(c, MariaDbSession.CLEAR_APPLYING);
        MariaDbSession.applying(c, false);
        // what other connections committed meanwhile is folded first: the applied entries come after it
        log.fold(c);
        if (entries.isEmpty()) {
            return;
        }
        String[] stored = storedKeys(c, entries);
        Map<String, Integer> last = new LinkedHashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            String row = entries.get(i).table().id() + ":" + stored[i];
            last.remove(row);
            last.put(row, i);
        }
        List<Integer> order = new ArrayList<>(last.values());
        order.sort(null);
        long seq =
                Jdbc.queryLong(c, "SELECT seq FROM _shuttle_clock WHERE id = 1").orElse(0L);
        long hlc = clockFloor;
        List<Object[]> rows = new ArrayList<>(order.size());
        for (int i : order) {
            AppliedEntry e = entries.get(i);
            rows.add(new Object[] {
                e.table().id(),
                stored[i],
                ++seq,
                e.op(),
                e.hlc(),
                e.origin(),
                e.version(),
                e.base(),
                e.scope() == null ? null : e.scope().toString(),
                e.via()
            });
            hlc = Math.max(hlc, e.hlc());
        }
        writeEntries(c, rows);
        Jdbc.update(
                c,
                "UPDATE _shuttle_clock SET seq = seq + ?, hlc = greatest(hlc, ?) WHERE id = 1",
                (long) rows.size(),
                hlc);
    }

    private static void writeEntries(Connection c, List<Object[]> rows) throws SQLException {
        int chunk = 500;
        for (int from = 0; from < rows.size(); from += chunk) {
            List<Object[]> part = rows.subList(from, Math.min(rows.size(), from + chunk));
            String sql = WRITE + String.join(", ", java.util.Collections.nCopies(part.size(), ROW)) + " "
                    + FeedSql.ENTRY_REPLACES;
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int p = 1;
                for (Object[] row : part) {
                    for (Object v : row) {
                        Jdbc.set(ps, p++, v);
                    }
                }
                ps.executeUpdate();
            }
        }
    }

    /** The stored key of every entry: computed here when that is certain, else by the database's own expression. */
    private String[] storedKeys(Connection c, List<AppliedEntry> entries) throws SQLException {
        String[] out = new String[entries.size()];
        Map<SyncedTable, PreparedStatement> byDatabase = new LinkedHashMap<>();
        try {
            for (int i = 0; i < out.length; i++) {
                AppliedEntry e = entries.get(i);
                Object known = keys.storedKey(e.table(), e.key());
                if (known != null) {
                    out[i] = known.toString();
                    continue;
                }
                PreparedStatement ps = byDatabase.get(e.table());
                if (ps == null) {
                    ps = c.prepareStatement("SELECT " + keys.keyParameterExpression(e.table()));
                    byDatabase.put(e.table(), ps);
                }
                int p = 1;
                for (Object part : e.key()) {
                    Jdbc.set(ps, p++, part);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    out[i] = rs.getString(1);
                }
            }
        } finally {
            for (PreparedStatement ps : byDatabase.values()) {
                ps.close();
            }
        }
        return out;
    }
}
