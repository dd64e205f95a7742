package io.shuttlebridge.core.internal.sync.apply;

import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.change.Stamp;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * FIELD_LWW: per column, the value with the higher stamp wins, so edits to different columns of
 * one row both survive. A delete wins over a row whose every column stamp is older; an upsert
 * newer than a tombstone brings the row back. When the merge differs from the incoming row, the
 * result is written with a fresh stamp of this node so it flows back to the sender too. Pure
 * functions, part of {@link ApplyRules}. Internal.
 */
final class FieldMerge {
    /** The hlc of a column a row was made without: older than any write of it. */
    static final long UNWRITTEN = io.shuttlebridge.core.internal.capture.UnwrittenColumns.UNWRITTEN;

    private FieldMerge() {}

    /** On the row's entry: no row or a tombstone decides at once; a live row needs its column stamps (and values). */
    static Verdict onEntry(SyncedTable t, LocalRow l, Change r) {
        if (l == null) {
            return new Verdict.TakeColumns(withAllStamps(t, r), false);
        }
        if (l.tombstone()) {
            return r.stamp().newerThan(l.stamp())
                    ? new Verdict.TakeColumns(withAllStamps(t, r), false)
                    : Verdict.SUPERSEDED;
        }
        return r.isDelete() ? Verdict.READ_COLUMNS : Verdict.READ_COLUMNS_AND_VALUES;
    }

    /**
     * Merges {@code r} into the live row {@code l}, whose column stamps are {@code localStamps} (a column
     * without one carries the row's stamp) and whose values are {@code local} (read for an upsert only).
     */
    static Verdict merge(
            SyncedTable t, LocalRow l, Change r, Map<String, Stamp> localStamps, Map<String, Object> local) {
        Stamp newestLocal = l.stamp();
        for (Stamp s : localStamps.values()) {
            newestLocal = s.newerThan(newestLocal) ? s : newestLocal;
        }
        if (r.isDelete()) {
            return r.stamp().newerThan(newestLocal) ? Verdict.TAKE : Verdict.SUPERSEDED;
        }
        Map<String, Object> merged = new LinkedHashMap<>(local);
        Map<String, Stamp> stamps = new LinkedHashMap<>();
        boolean tookRemote = false;
        boolean keptLocal = false;
        for (String col : t.valueColumns()) {
            Stamp ls = orDefault(localStamps, col, l.stamp());
            Stamp rs = orDefault(r.columnStamps(), col, r.stamp());
            boolean carried = r.values().containsKey(col);
            Object remote = r.values().get(col);
            boolean same = carried && ChangeValidator.sameValue(local.get(col), remote);
            // a column neither side ever wrote holds its default, or NULL until filled from the hub (stamps that
            // differ in origin only): the same value is nothing to take or send back; of two, a value beats NULL
            boolean neitherWrote = carried && rs.hlc() == UNWRITTEN && ls.hlc() == UNWRITTEN;
            boolean take = carried
                    && (neitherWrote
                            ? !same && (local.get(col) == null || (remote != null && rs.newerThan(ls)))
                            : rs.newerThan(ls));
            if (take) {
                merged.put(col, remote);
                stamps.put(col, rs);
                tookRemote = true;
            } else {
                stamps.put(col, ls);
                // the sender lacks this column's value, or holds the same value under an older write: either
                // way the merge is not the sender's row (its later writes of the column would lose here only)
                keptLocal |= carried && (neitherWrote ? !same : !same || !ls.equals(rs));
            }
        }
        if (!tookRemote) {
            return Verdict.SUPERSEDED;
        }
        long version = Math.max(l.version(), r.version());
        if (keptLocal) {
            // the sender lacks our newer columns: the merge is sent back to it as well
            return new Verdict.MergeColumns(merged, stamps, version + 1, version);
        }
        // the row now holds the incoming write's values and column stamps: it travels under that write's stamp,
        // even when the local row's stamp was newer (a merge stamped afresh whose columns are all older), for
        // replicas holding the local stamp hold other values and must not take this for a duplicate
        return new Verdict.TakeColumns(
                new Change(t.name(), r.key(), Op.UPSERT, merged, r.hlc(), r.origin(), version, version, stamps), true);
    }

    /**
     * Whether the upsert {@code r} carries a column whose stamp is newer than the live row {@code l}'s
     * stamp of it ({@code localStamps}; a column without one carries the row's stamp): whether {@link
     * #merge} would take anything of it.
     */
    static boolean anyColumnNewer(SyncedTable t, LocalRow l, Change r, Map<String, Stamp> localStamps) {
        for (String col : t.valueColumns()) {
            Stamp rs = orDefault(r.columnStamps(), col, r.stamp());
            Stamp ls = orDefault(localStamps, col, l.stamp());
            if (r.values().containsKey(col) && rs.newerThan(ls) && (rs.hlc() != UNWRITTEN || ls.hlc() != UNWRITTEN)) {
                return true; // (a column neither side wrote is not a newer write of it)
            }
        }
        return false;
    }

    /**
     * The change with a stamp for every value column: its own stamp where it carries the column without
     * one; {@link #UNWRITTEN} where it does not carry the column at all (its writer lacked it, or had not
     * taken its values yet): the row here holds the column's default, which any write of the column outranks.
     */
    static Change withAllStamps(SyncedTable t, Change c) {
        if (c.isDelete()) {
            return c;
        }
        Map<String, Stamp> stamps = new LinkedHashMap<>();
        for (String col : t.valueColumns()) {
            stamps.put(
                    col,
                    c.values().containsKey(col)
                            ? orDefault(c.columnStamps(), col, c.stamp())
                            : new Stamp(UNWRITTEN, c.origin()));
        }
        return new Change(c.table(), c.key(), c.op(), c.values(), c.hlc(), c.origin(), c.version(), c.base(), stamps);
    }

    private static Stamp orDefault(Map<String, Stamp> stamps, String col, Stamp row) {
        Stamp s = stamps.get(col);
        return s == null ? row : s;
    }
}
