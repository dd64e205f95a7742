package io.shuttlebridge.core.internal.sync;

import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.change.Stamp;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.feed.ColumnStamps;
import io.shuttlebridge.core.internal.feed.FeedReader;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * FIELD_LWW: per column, the value with the higher stamp wins, so edits to different columns of
 * one row both survive. A delete wins over a row whose every column stamp is older; an upsert
 * newer than a tombstone brings the row back. When the merge differs from the incoming row, the
 * result is written with a fresh stamp of this node so it flows back to the sender too. Internal.
 */
final class FieldMerge {
    private final Applier a;
    private final SyncedTable t;
    private final LocalRow l;
    private final Change r;

    FieldMerge(Applier a, SyncedTable t, LocalRow l, Change r) {
        this.a = a;
        this.t = t;
        this.l = l;
        this.r = r;
    }

    void apply() throws SQLException {
        if (l == null) {
            a.take(t, withAllStamps(r));
            return;
        }
        if (l.tombstone()) {
            if (r.stamp().newerThan(l.stamp())) {
                a.take(t, withAllStamps(r));
            } else {
                a.countSuperseded();
            }
            return;
        }
        Map<String, Stamp> localStamps = l.storedKey() == null
                ? Map.of()
                : ColumnStamps.load(a.connection(), t, List.of(l.storedKey()))
                        .getOrDefault(keyOf(l.storedKey()), Map.of());
        Stamp newestLocal = l.stamp();
        for (Stamp s : localStamps.values()) {
            newestLocal = s.newerThan(newestLocal) ? s : newestLocal;
        }
        if (r.isDelete()) {
            if (r.stamp().newerThan(newestLocal)) {
                a.take(t, r);
            } else {
                a.countSuperseded();
            }
            return;
        }
        Map<String, Object> local = LocalRow.values(a.connection(), a.dialect(), t, r.key());
        Map<String, Object> merged = new LinkedHashMap<>(local);
        Map<String, Stamp> stamps = new LinkedHashMap<>();
        boolean tookRemote = false;
        boolean keptLocal = false;
        for (String col : t.valueColumns()) {
            Stamp ls = Applier.orDefault(localStamps, col, l.stamp());
            Stamp rs = Applier.orDefault(r.columnStamps(), col, r.stamp());
            if (r.values().containsKey(col) && rs.newerThan(ls)) {
                merged.put(col, r.values().get(col));
                stamps.put(col, rs);
                tookRemote = true;
            } else {
                stamps.put(col, ls);
                // the sender lacks this column's value, or holds the same value under an older write: either
                // way the merge is not the sender's row (its later writes of the column would lose here only)
                keptLocal |= r.values().containsKey(col)
                        && (!ChangeValidator.sameValue(
                                        local.get(col), r.values().get(col))
                                || !ls.equals(rs));
            }
        }
        if (!tookRemote) {
            a.countSuperseded();
            return;
        }
        long version = Math.max(l.version(), r.version());
        Change result;
        if (keptLocal) {
            a.writer().via(null); // the sender lacks our newer columns: send the merge back to it as well
            result = new Change(
                    t.name(), r.key(), Op.UPSERT, merged, a.freshStamp(), a.localNode(), version + 1, version, stamps);
        } else {
            // the row now holds the incoming write's values and column stamps: it travels under that write's stamp,
            // even when
            // the local row's stamp was newer (a merge stamped afresh whose columns are all older), for
            // replicas holding the local stamp hold other values and must not take this for a duplicate
            result = new Change(t.name(), r.key(), Op.UPSERT, merged, r.hlc(), r.origin(), version, version, stamps);
        }
        a.take(t, result);
    }

    private Change withAllStamps(Change c) {
        if (c.isDelete()) {
            return c;
        }
        Map<String, Stamp> stamps = new LinkedHashMap<>();
        for (String col : t.valueColumns()) {
            stamps.put(col, Applier.orDefault(c.columnStamps(), col, c.stamp()));
        }
        return new Change(c.table(), c.key(), c.op(), c.values(), c.hlc(), c.origin(), c.version(), c.base(), stamps);
    }

    private static Object keyOf(Object stored) {
        return stored instanceof byte[] b ? new FeedReader.BytesKey(b) : stored;
    }
}
