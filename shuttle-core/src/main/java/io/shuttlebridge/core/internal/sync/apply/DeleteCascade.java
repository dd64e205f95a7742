package io.shuttlebridge.core.internal.sync.apply;

import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.schema.ForeignKey;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parent row is going away while rows here still refer to it (written concurrently, or not yet
 * deleted here): they are deleted too, as this node's own writes, so the deletion reaches every
 * replica and the batch never fails on a foreign key. Internal.
 */
final class DeleteCascade {
    private static final int MAX_DEPTH = 32;

    private final SyncSchema schema;
    private final Dialect dialect;
    private final Batch batch;
    private final RowLookup rows;
    private final RowWrites writes;
    private final String localNode;

    /** The rows whose deletion is spreading, from the deleted row down: a reference back to one closes a cycle. */
    private final Set<RowRef> cascading = new HashSet<>();

    DeleteCascade(SyncSchema schema, Dialect dialect, Batch batch, RowLookup rows, RowWrites writes, String localNode) {
        this.schema = schema;
        this.dialect = dialect;
        this.batch = batch;
        this.rows = rows;
        this.writes = writes;
        this.localNode = localNode;
    }

    /** Deletes the rows that refer to the row {@code key} of {@code parent}, and theirs, before it is deleted. */
    void deleteReferring(SyncedTable parent, List<Object> key) throws SQLException {
        cascade(parent, key, 0);
    }

    private void cascade(SyncedTable parent, List<Object> parentKey, int depth) throws SQLException {
        if (depth > MAX_DEPTH) {
            return;
        }
        RowRef id = RowRef.of(parent, parentKey);
        cascading.add(id);
        try {
            deleteChildren(parent, parentKey, depth);
        } finally {
            cascading.remove(id);
        }
    }

    private void deleteChildren(SyncedTable parent, List<Object> parentKey, int depth) throws SQLException {
        for (SyncedTable child : schema.tables()) {
            for (ForeignKey fk : child.table().foreignKeys()) {
                if (!fk.parentTable().equals(parent.name())) {
                    continue;
                }
                List<Object> ref = ReferenceQueries.referencedValues(
                        batch.flushed(), dialect, parent, parentKey, fk.parentColumns());
                if (ref == null) {
                    continue;
                }
                for (List<Object> childKey :
                        ReferenceQueries.referencingKeys(batch.flushed(), dialect, child, fk.childColumns(), ref)) {
                    if (child.name().equals(parent.name()) && childKey.equals(parentKey)) {
                        continue; // a row referring to itself
                    }
                    if (cascading.contains(RowRef.of(child, childKey))) {
                        // a reference cycle: that row is deleted once this one is; where foreign keys are checked
                        // at once neither could go first, so its reference to this row goes now
                        ReferenceQueries.clear(batch.flushed(), dialect, child, fk.childColumns(), childKey);
                        continue;
                    }
                    cascade(child, childKey, depth + 1);
                    deleteRow(child, childKey);
                }
            }
        }
    }

    private void deleteRow(SyncedTable t, List<Object> key) throws SQLException {
        LocalRow l = rows.local(t, key);
        writes.write(
                t,
                new Change(
                        t.name(),
                        key,
                        Op.DELETE,
                        Map.of(),
                        batch.freshStamp(),
                        localNode,
                        l == null ? 1 : l.version() + 1,
                        l == null ? 0 : l.version(),
                        Map.of()),
                null);
    }
}
