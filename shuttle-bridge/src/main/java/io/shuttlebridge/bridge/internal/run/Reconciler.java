package io.shuttlebridge.bridge.internal.run;

import io.shuttlebridge.bridge.internal.record.Stage;
import io.shuttlebridge.bridge.internal.resolve.ChildReferences;
import io.shuttlebridge.bridge.internal.store.BatchStore;
import io.shuttlebridge.bridge.internal.store.RowCodec;
import io.shuttlebridge.bridge.internal.store.StateStore;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delete detection by reconciliation: at the end of a complete pass, every identity stored before the
 * pass began that the pass did not see is gone from the source, so its target row is deleted.
 * Sweeps the stored identities once in key order, deleting in committed pages. A row that other rows
 * still reference (through a foreign key that restricts deletes) is kept for a later pass.
 */
final class Reconciler {
    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
    private static final int MAX_WAITING = 100_000;

    private Reconciler() {}

    static void run(RunContext ctx, EntityTarget target, RunState run) throws SQLException {
        long max = run.cursor.passStateMax();
        if (max == 0) {
            return; // nothing was stored when the pass began
        }
        long t = System.nanoTime();
        int page = Math.max(1000, target.def.batchSize());
        ChildReferences children = ChildReferences.of(ctx.connection(), ctx.dialect(), target.table, target.def.keys());
        List<StateStore.Stored> waiting = new ArrayList<>();
        StateStore.Sweep sweep = new StateStore.Sweep(List.of(), null);
        do {
            sweep = target.state.sweep(sweep.resumeAfter(), max, run.seen::seenUnchecked, page);
            delete(ctx, target, run, sweep.unseen(), children, waiting);
        } while (sweep.resumeAfter() != null);
        // a parent whose children were deleted later in the sweep (same table) can go now; repeat down the chains
        int before;
        do {
            before = waiting.size();
            List<StateStore.Stored> again = new ArrayList<>(waiting);
            waiting.clear();
            delete(ctx, target, run, again, children, waiting);
        } while (!waiting.isEmpty() && waiting.size() < before);
        if (!waiting.isEmpty()) {
            LOG.info(
                    "{}: {} rows gone from the source are kept while other rows still reference them; a later complete"
                            + " pass deletes them once those are gone",
                    target.def.name(),
                    waiting.size());
        }
        run.counters.addNanos(Stage.DELTA, System.nanoTime() - t);
    }

    private static void delete(
            RunContext ctx,
            EntityTarget target,
            RunState run,
            List<StateStore.Stored> rows,
            ChildReferences children,
            List<StateStore.Stored> waiting)
            throws SQLException {
        int gone = 0;
        for (StateStore.Stored s : rows) {
            Object[] key = RowCodec.decodeArray(s.keyJson());
            if (!children.none() && children.referenced(key)) {
                if (waiting.size() < MAX_WAITING) {
                    waiting.add(s);
                }
                continue;
            }
            target.sink.delete(key);
            target.state.delete(s.key());
            gone++;
            // one at a time while rows of the table reference each other, so a later check sees this deletion
            if (children.selfReferencing()) {
                target.sink.flush();
                target.state.flush();
            }
        }
        if (gone > 0) {
            target.sink.flush();
            target.state.flush();
            run.counters.deleted += gone;
            BatchStore.progress(ctx.connection(), run.batchId, run.counters);
            ctx.connection().commit();
        }
    }
}
