package io.shuttlebridge.bridge.internal.run;

import io.shuttlebridge.bridge.internal.record.Stage;
import io.shuttlebridge.bridge.internal.store.BatchStore;
import io.shuttlebridge.bridge.internal.store.RowCodec;
import io.shuttlebridge.bridge.internal.store.IdentityKey;
import io.shuttlebridge.bridge.internal.store.StateStore;
import java.sql.SQLException;
import java.util.List;

/**
 * Delete detection by reconciliation: at the end of a complete pass, every identity stored before the
 * pass began that the pass did not see is gone from the source, so its target row is deleted.
 * Works through the stored identities in key order, committing each page that had deletions.
 */
final class Reconciler {
    private Reconciler() {}

    static void run(RunContext ctx, EntityTarget target, RunState run) throws SQLException {
        long t = System.nanoTime();
        int page = Math.max(1000, target.def.batchSize());
        IdentityKey after = null;
        while (true) {
            List<StateStore.Stored> rows = target.state.page(after, page);
            if (rows.isEmpty()) {
                break;
            }
            after = rows.get(rows.size() - 1).key();
            int gone = 0;
            for (StateStore.Stored s : rows) {
                if (s.id() <= run.cursor.passStateMax() && !run.seen.seen(s.id())) {
                    target.sink.delete(RowCodec.decodeArray(s.keyJson()));
                    target.state.delete(s.key());
                    gone++;
                }
            }
            if (gone > 0) {
                target.sink.flush();
                target.state.flush();
                run.counters.deleted += gone;
                BatchStore.progress(ctx.connection(), run.batchId, run.counters);
                ctx.connection().commit();
            }
            if (rows.size() < page) {
                break;
            }
        }
        run.counters.addNanos(Stage.DELTA, System.nanoTime() - t);
    }
}
