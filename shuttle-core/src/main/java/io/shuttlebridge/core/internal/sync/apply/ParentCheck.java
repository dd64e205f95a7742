package io.shuttlebridge.core.internal.sync.apply;

import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.schema.ForeignKey;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether the synced parent rows an upsert refers to are here (one query per foreign key), and for one
 * left waiting, whether a missing parent was deleted here. Internal.
 */
final class ParentCheck {
    private final SyncSchema schema;
    private final Dialect dialect;
    private final Batch batch;
    private final RowLookup rows;

    ParentCheck(SyncSchema schema, Dialect dialect, Batch batch, RowLookup rows) {
        this.schema = schema;
        this.dialect = dialect;
        this.batch = batch;
        this.rows = rows;
    }

    /** Names the first missing parent the change waits for, or null when it can be applied. */
    String missing(Change r) throws SQLException {
        if (r.op() == Op.UPSERT) {
            for (ForeignKey fk : schema.require(r.table()).table().foreignKeys()) {
                List<Object> ref = missingParent(r, fk);
                if (ref != null) {
                    return "parent " + fk.parentTable() + fk.parentColumns() + " = " + ref + " has not arrived";
                }
            }
        }
        return null;
    }

    /** The foreign keys of an upsert whose parent row is missing. */
    List<ForeignKey> missingReferences(Change r) throws SQLException {
        List<ForeignKey> out = new ArrayList<>();
        for (ForeignKey fk : schema.require(r.table()).table().foreignKeys()) {
            if (missingParent(r, fk) != null) {
                out.add(fk);
            }
        }
        return out;
    }

    /**
     * The newest tombstone among the missing parents of the upsert {@code r}, or null when none of them
     * was deleted here. A parent referred to by columns other than its key is not looked for: its
     * tombstone keeps only the key.
     */
    LocalRow deletedParent(Change r) throws SQLException {
        LocalRow newest = null;
        for (ForeignKey fk : schema.require(r.table()).table().foreignKeys()) {
            List<Object> ref = missingParent(r, fk);
            if (ref == null) {
                continue;
            }
            SyncedTable parent = schema.require(fk.parentTable());
            List<Object> key = parentKey(parent, fk, ref);
            LocalRow entry = key == null ? null : rows.local(parent, key);
            if (entry != null
                    && entry.tombstone()
                    && (newest == null || entry.stamp().newerThan(newest.stamp()))) {
                newest = entry;
            }
        }
        return newest;
    }

    /** The parent's key, in key order, from the values {@code ref} of {@code fk}; null when they are not its key. */
    private static List<Object> parentKey(SyncedTable parent, ForeignKey fk, List<Object> ref) {
        List<String> columns = fk.parentColumns();
        if (columns.size() != parent.key().size() || !columns.containsAll(parent.key())) {
            return null;
        }
        List<Object> key = new ArrayList<>(columns.size());
        for (String col : parent.key()) {
            key.add(ref.get(columns.indexOf(col)));
        }
        return key;
    }

    /** The values of {@code fk} in the upsert {@code r} when they name a synced parent row that does not exist, else null. */
    List<Object> missingParent(Change r, ForeignKey fk) throws SQLException {
        List<Object> ref = fk.childColumns().stream().map(r.values()::get).toList();
        if (ref.stream().anyMatch(v -> v == null)
                || schema.table(fk.parentTable()).isEmpty()) {
            return null; // null reference, or a parent table outside sync (the database checks it)
        }
        if (fk.selfReferencing()
                && ref.equals(fk.parentColumns().stream().map(r.values()::get).toList())) {
            return null; // the row refers to itself
        }
        return ReferenceQueries.exists(batch.flushed(), dialect, fk.parentTable(), fk.parentColumns(), ref)
                ? null
                : ref;
    }
}
