package io.shuttlebridge.bridge.internal.run;

import io.shuttlebridge.bridge.internal.record.Stage;
import io.shuttlebridge.bridge.internal.store.BatchStore;
import io.shuttlebridge.bridge.internal.store.RowCodec;
import io.shuttlebridge.bridge.internal.store.StateStore;
import java.sql.SQLException;
import java.util.List;

/**
 * Delete detection by reconciliation: at the end of a complete pass, every identity stored before the
 * pass began that the pass did not see is gone from the source, so its target row is deleted.
 * Sweeps the stored identities once in key order, deleting in committed pages.
 */
final class Reconciler {
    private Reconciler() {}

    static void run(RunContext ctx, EntityTarget target, RunState run) throws SQLException {
        long max = run.cursor.passStateMax();
        if (max == 0) {
            return; // nothing was stored when the pass began
        }
        long t = System.nanoTime();
        int page = Math.max(1000, target.def.batchSize());
        StateStore.Sweep sweep = new StateStore.Sweep(List.of(), null);
        do {
            sweep = target.state.sweep(sweep.resumeAfter(), max, run.seen::seenUnchecked, page);
            for (StateStore.Stored s : sweep.unseen()) {
                target.sink.delete(RowCodec.decodeArray(s.keyJson()));
                target.state.delete(s.key());
            }
            if (!sweep.unseen().isEmpty()) {
                target.sink.flush();
                target.state.flush();
                run.counters.deleted += sweep.unseen().size();
                BatchStore.progress(ctx.connection(), run.batchId, run.counters);
                ctx.connection().commit();
            }
        } while (sweep.resumeAfter() != null);
        run.counters.addNanos(Stage.DELTA, System.nanoTime() - t);
    }
}
