package io.shuttlebridge.core.internal.sync;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.capture.SchemaChanges;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.internal.capture.SchemaEvolution;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.dialect.Dialects;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The destructive schema changes made on the hub's tables and not taken yet (a column or a key column
 * dropped or renamed with plain SQL, a type changed: {@link SchemaEvolution}), table by table, read from
 * the catalog when a push failed in a way no constraint or value explains: the changes to such a table
 * that the database refuses are refused alone as {@link ErrorCode#SCHEMA_MISMATCH}, naming the pending
 * change and what to do, rather than failing the whole push. Read on that failure path only, never for a
 * push that applies. Internal.
 */
final class PendingSchemaChanges {
    private final Map<String, String> byTable;

    private PendingSchemaChanges(Map<String, String> byTable) {
        this.byTable = byTable;
    }

    /** The pending destructive changes of the hub's synced tables, as the catalog has them now. */
    static PendingSchemaChanges read(EngineContext engine, Connection c) throws SQLException {
        return new PendingSchemaChanges(
                byTable(SchemaEvolution.plan(c, Dialects.of(engine.db())).items(), engine.schema()));
    }

    /**
     * The destructive changes among {@code items} of the tables {@code schema} syncs (not a new table without
     * a key, say), their messages by table.
     */
    static Map<String, String> byTable(List<SchemaChanges.Item> items, SyncSchema schema) {
        Set<String> synced = schema.tables().stream().map(SyncedTable::name).collect(Collectors.toSet());
        Map<String, String> byTable = new LinkedHashMap<>();
        for (SchemaChanges.Item i : items) {
            if (!i.safe() && i.table() != null && synced.contains(i.table())) {
                byTable.merge(i.table(), i.message(), (a, b) -> a + "; " + b);
            }
        }
        return byTable;
    }

    /** Whether {@code table} has a destructive change pending. */
    boolean has(String table) {
        return byTable.containsKey(table);
    }

    /** Whether any of {@code changes} is to a table with a destructive change pending. */
    boolean touches(List<Change> changes) {
        return !byTable.isEmpty() && changes.stream().anyMatch(ch -> has(ch.table()));
    }

    /** The refusal of {@code ch}, a change to a table with a destructive change pending. */
    RefusalReason refusal(Change ch) {
        return new RefusalReason(
                ErrorCode.SCHEMA_MISMATCH,
                "the hub's table \"" + ch.table() + "\" has a schema change made with plain SQL that the hub has not"
                        + " taken, and its database refuses this write to the row with key " + ch.key() + ": "
                        + byTable.get(ch.table())
                        + ". The device keeps the write as a rejected write: it is queued again by itself once the"
                        + " change is undone, or can be retried or dismissed by hand (shuttle conflicts list)");
    }
}
