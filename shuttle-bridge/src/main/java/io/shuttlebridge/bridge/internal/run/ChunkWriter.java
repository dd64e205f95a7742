package io.shuttlebridge.bridge.internal.run;

import io.shuttlebridge.bridge.internal.delta.Delta;
import io.shuttlebridge.bridge.internal.delta.DeltaClassifier;
import io.shuttlebridge.bridge.internal.record.PreparedRecord;
import io.shuttlebridge.bridge.internal.record.Rejected;
import io.shuttlebridge.bridge.internal.record.RowVersions;
import io.shuttlebridge.bridge.internal.record.Stage;
import io.shuttlebridge.bridge.internal.resolve.ParentResolver;
import io.shuttlebridge.bridge.internal.store.BatchStore;
import io.shuttlebridge.bridge.internal.store.BkKey;
import io.shuttlebridge.bridge.internal.store.CursorStore;
import io.shuttlebridge.bridge.internal.store.DeadLetterStore;
import io.shuttlebridge.bridge.internal.store.IdentityKey;
import io.shuttlebridge.bridge.internal.store.PendingStore;
import io.shuttlebridge.bridge.internal.store.RowCodec;
import io.shuttlebridge.bridge.internal.store.StateStore;
import io.shuttlebridge.bridge.internal.track.Counters;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Stages 6 to 9 for one chunk, in one transaction, slice by slice: classify (delta), check parents
 * (resolve), write rows and identities (ingest), dead letters and pending children; after the last
 * slice, the pass cursor and the batch counters (track) and the commit. Either all of a chunk is
 * committed with the position after it, or none.
 */
final class ChunkWriter {
    private final RunContext ctx;
    private final EntityTarget target;
    private final RunState run;
    private final List<String> fieldNames;
    /** Counts of the slices written since the last commit; added to the batch when their chunk commits. */
    private Counters open = new Counters();

    private String openMaxRowversion;

    ChunkWriter(RunContext ctx, EntityTarget target, RunState run, List<String> fieldNames) {
        this.ctx = ctx;
        this.target = target;
        this.run = run;
        this.fieldNames = fieldNames;
    }

    void write(Chunk chunk) throws SQLException {
        Connection c = ctx.connection();
        Counters k = run.counters;
        long t0 = System.nanoTime();
        Map<BkKey, PreparedRecord> records = DeltaClassifier.dedupe(chunk.records());
        Map<BkKey, StateStore.Entry> stored = target.state.lookup(DeltaClassifier.keys(records.values()));
        List<Delta> deltas = DeltaClassifier.classify(records, stored);
        long t1 = System.nanoTime();
        List<ParentResolver.Missing> missing = resolve(deltas);
        int[] order = target.parents.selfReferencing() ? target.parents.parentFirst(rows(deltas)) : null;
        long t2 = System.nanoTime();
        Instant now = ctx.clock().instant();
        List<String> ingestedKeys = run.hasOpenLetters || run.hasPending ? new ArrayList<>() : null;
        List<Object[]> deletes = null;
        long inserted = 0, updated = 0, unchanged = 0, deleted = 0, pending = 0;
        target.deferForeignKeys();
        for (int n = 0; n < deltas.size(); n++) {
            int i = order == null ? n : order[n];
            Delta d = deltas.get(i);
            PreparedRecord r = d.record();
            if (run.seen != null && (d instanceof Delta.Update || d instanceof Delta.Unchanged)) {
                // seen by this pass even when the new version waits for its parent: never reconciled away
                long id = d instanceof Delta.Update u
                        ? u.stored().id()
                        : ((Delta.Unchanged) d).stored().id();
                if (id <= run.cursor.passStateMax()) {
                    run.seen.mark(id);
                }
            }
            ParentResolver.Missing m = missing == null ? null : missing.get(i);
            if (m != null) {
                putPending(r, m, now);
                pending++;
                continue;
            }
            IdentityKey key = new IdentityKey(r.ord(), r.bkHash());
            switch (d) {
                case Delta.Insert ins -> {
                    target.sink.insert(r.mapped());
                    target.state.insert(key, r.dataHash(), r.rowversion(), target.keyJson(r.mapped()), run.batchId);
                    inserted++;
                }
                case Delta.Update up -> {
                    target.sink.update(r.mapped());
                    target.state.update(key, r.dataHash(), r.rowversion(), run.batchId);
                    updated++;
                }
                case Delta.Unchanged un -> {
                    if (un.refreshRowversion()) {
                        target.state.update(key, un.stored().dataHash(), r.rowversion(), run.batchId);
                    }
                    unchanged++;
                }
                case Delta.Delete del -> {
                    if (deletes == null) {
                        deletes = new ArrayList<>();
                    }
                    deletes.add(target.keyValues(r.mapped()));
                    target.state.delete(key);
                    deleted++;
                }
                case Delta.Ignored ign -> unchanged++;
            }
            if (ingestedKeys != null) {
                ingestedKeys.add(HexFormat.of().formatHex(r.bkHash()));
            }
        }
        if (deletes != null) {
            // children before parents: the reverse of the parent-first order
            for (int i = deletes.size() - 1; i >= 0; i--) {
                target.sink.delete(deletes.get(i));
            }
        }
        target.sink.flush();
        target.state.flush();
        long t3 = System.nanoTime();
        for (Rejected x : chunk.rejected()) {
            DeadLetterStore.add(c, letter(x), now);
        }
        if (ingestedKeys != null && !ingestedKeys.isEmpty()) {
            if (run.hasPending) {
                for (String key : ingestedKeys) {
                    PendingStore.removeKey(c, target.def.name(), HexFormat.of().parseHex(key));
                }
            }
            if (run.hasOpenLetters) {
                DeadLetterStore.resolveKeys(c, target.def.name(), ingestedKeys, now);
            }
        }
        if (!chunk.rejected().isEmpty()) {
            run.hasOpenLetters = true;
        }
        if (pending > 0) {
            run.hasPending = true;
        }
        open.fetched += chunk.fetched();
        open.normalized += chunk.normalized();
        open.invalid += chunk.invalid();
        open.mapped += chunk.mapped();
        open.inserted += inserted;
        open.updated += updated;
        open.unchanged += unchanged;
        open.deleted += deleted;
        open.pending += pending;
        open.deadLettered += chunk.rejected().size();
        if (chunk.maxRowversion() != null) {
            openMaxRowversion = RowVersions.max(openMaxRowversion, chunk.maxRowversion());
        }
        if (chunk.commit()) {
            commit(c, chunk.position());
        }
        long t4 = System.nanoTime();
        k.addNanos(Stage.DELTA, t1 - t0);
        k.addNanos(Stage.RESOLVE, t2 - t1);
        k.addNanos(Stage.INGEST, t3 - t2);
        k.addNanos(Stage.TRACK, t4 - t3);
    }

    /** Commits the chunk whose slices were written: seen-set, pass cursor and batch counters with it. */
    private void commit(Connection c, String position) throws SQLException {
        if (run.seen != null) {
            run.seen.flush();
        }
        CursorStore.Cursor next = run.cursor.advance(
                position,
                openMaxRowversion == null
                        ? run.cursor.highWater()
                        : RowVersions.max(run.cursor.highWater(), openMaxRowversion),
                open.fetched);
        CursorStore.save(c, next);
        Counters k = run.counters;
        k.fetched += open.fetched;
        k.normalized += open.normalized;
        k.invalid += open.invalid;
        k.mapped += open.mapped;
        k.inserted += open.inserted;
        k.updated += open.updated;
        k.unchanged += open.unchanged;
        k.deleted += open.deleted;
        k.pending += open.pending;
        k.deadLettered += open.deadLettered;
        BatchStore.progress(c, run.batchId, k);
        c.commit();
        run.cursor = next;
        open = new Counters();
        openMaxRowversion = null;
    }

    private List<ParentResolver.Missing> resolve(List<Delta> deltas) {
        if (!target.parents.hasParents()) {
            return null;
        }
        List<Object[]> rows = new ArrayList<>(deltas.size());
        boolean[] inserts = new boolean[deltas.size()];
        for (int i = 0; i < inserts.length; i++) {
            Delta d = deltas.get(i);
            inserts[i] = d instanceof Delta.Insert;
            rows.add(
                    d instanceof Delta.Insert || d instanceof Delta.Update
                            ? d.record().mapped()
                            : new Object[0]);
        }
        return target.parents.check(rows, inserts);
    }

    /** Rows in delta order for parent-first ordering: written rows and deleted rows (by their last known values). */
    private static List<Object[]> rows(List<Delta> deltas) {
        List<Object[]> rows = new ArrayList<>(deltas.size());
        for (Delta d : deltas) {
            rows.add(
                    d instanceof Delta.Unchanged || d instanceof Delta.Ignored
                            ? new Object[0]
                            : d.record().mapped());
        }
        return rows;
    }

    private void putPending(PreparedRecord r, ParentResolver.Missing m, Instant now) throws SQLException {
        PendingStore.put(
                ctx.connection(),
                new PendingStore.Entry(
                        0,
                        target.def.name(),
                        r.bkHash(),
                        r.dataHash(),
                        r.rowversion(),
                        target.keyJson(r.mapped()),
                        RowCodec.encode(target.columns, r.mapped()),
                        RowCodec.encode(fieldNames, r.raw()),
                        m.fk().parentTable(),
                        m.parentKeyJson(),
                        1,
                        now.plus(target.def.backoff()),
                        m.reason(),
                        now));
    }

    DeadLetterStore.Letter letter(Rejected x) {
        return new DeadLetterStore.Letter(
                target.def.name(),
                run.batchId,
                x.stage().name(),
                x.rule(),
                x.error(),
                RecordPreparer.recordKey(x, fieldNames),
                RowCodec.encode(fieldNames, x.raw()),
                RowCodec.encode(fieldNames, x.normalized()),
                RowCodec.encode(target.columns, x.mapped()));
    }
}
