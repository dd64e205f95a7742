package io.shuttlebridge.core.internal.sync;

import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.internal.sync.apply.Role;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the hub's version of a row back on the device after the hub refused the device's write of it
 * (DESIGN §9): the device's own entry for the row is forgotten and the hub's row applied as any change
 * from the hub, or, when the hub has no such row for this subject, the device's row is removed, in
 * neither case captured or pushed. Only when the refused write is still the row's latest here: a later
 * local write is judged by the hub on its own. A restore that fails (a foreign key of the device's own,
 * say) leaves the row as it is, and the rejected write stays listed. Internal.
 */
final class RefusedRowRestore {
    private static final Logger log = LoggerFactory.getLogger(RefusedRowRestore.class);

    private RefusedRowRestore() {}

    /**
     * Puts the hub's version back (or removes the row); returns false when that failed and the row
     * stays as this device wrote it (a row of its own still refers to it, say: try again once that
     * one is removed).
     */
    static boolean restore(Connection c, EngineContext engine, String hubNode, Change refused, Change hubRow)
            throws SQLException {
        Optional<SyncedTable> table = engine.schema().table(refused.table());
        if (table.isEmpty()) {
            return true;
        }
        SyncedTable t = table.get();
        Dialect dialect = Dialects.of(engine.db());
        FeedRowEntry entry = FeedRowEntry.find(c, dialect, t, refused.key());
        if (entry == null || entry.hlc() != refused.hlc()) {
            return true; // written again since: that write is judged on its own
        }
        Savepoint sp = c.setSavepoint();
        try {
            entry.forget(c, t);
            if (hubRow != null) {
                engine.applier().apply(c, List.of(hubRow), hubNode, Role.DEVICE);
            } else {
                remove(c, dialect, t, refused.key());
            }
            c.releaseSavepoint(sp);
            return true;
        } catch (SQLException | RuntimeException e) {
            c.rollback(sp);
            log.debug(
                    "could not put back the hub's version of {} {} after it refused this device's write yet: {}",
                    refused.table(),
                    refused.key(),
                    e.getMessage());
            return false;
        }
    }

    /** Deletes the device's row without capturing the delete. */
    private static void remove(Connection c, Dialect dialect, SyncedTable t, List<Object> key) throws SQLException {
        StringBuilder sql = new StringBuilder("DELETE FROM ")
                .append(dialect.quote(t.name()))
                .append(" WHERE ");
        List<String> pk = t.key();
        for (int i = 0; i < pk.size(); i++) {
            sql.append(i == 0 ? "" : " AND ").append(dialect.quote(pk.get(i))).append(" = ?");
        }
        // checked now, not at commit: a row of this device's own that still refers to it makes the delete fail here
        // (and the removal wait), instead of failing the whole transaction when it commits
        String immediate = dialect.immediateConstraintsStatement();
        if (immediate != null) {
            Jdbc.execute(c, immediate);
        }
        long token = dialect.capture().beginApply(c);
        try {
            Jdbc.update(c, sql.toString(), key.toArray());
        } finally {
            dialect.capture().endApply(c, token, List.of());
            if (immediate != null && dialect.supportsDeferredConstraints()) {
                Jdbc.execute(c, dialect.deferConstraintsStatement());
            }
        }
    }
}
