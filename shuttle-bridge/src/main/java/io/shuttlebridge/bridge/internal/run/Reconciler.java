package io.shuttlebridge.bridge.internal.run;

import io.shuttlebridge.bridge.internal.record.Stage;
import io.shuttlebridge.bridge.internal.store.BatchStore;
import io.shuttlebridge.bridge.internal.store.RowCodec;
import io.shuttlebridge.bridge.internal.store.Sql;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Delete detection by reconciliation: at the end of a complete pass, every identity stored before the
 * pass began that the pass did not see is gone from the source, so its target row is deleted.
 * Works through the state in id order, one committed page at a time.
 */
final class Reconciler {
    private Reconciler() {}

    static void run(RunContext ctx, EntityTarget target, RunState run) throws SQLException {
        long t = System.nanoTime();
        long after = 0;
        int page = Math.max(1000, target.def.batchSize());
        while (true) {
            List<long[]> ids = new ArrayList<>();
            List<String> keys = new ArrayList<>();
            int rows = 0;
            try (PreparedStatement ps = Sql.bind(ctx.connection().prepareStatement("SELECT id, key_json FROM _shuttle_bridge_state"
                    + " WHERE entity = ? AND id > ? AND id <= ? ORDER BY id LIMIT ?"), target.def.name(), after,
                    run.cursor.passStateMax(), page); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    rows++;
                    after = id;
                    if (!run.seen.seen(id)) {
                        ids.add(new long[] {id});
                        keys.add(rs.getString(2));
                    }
                }
            }
            if (rows == 0) {
                break;
            }
            for (int i = 0; i < ids.size(); i++) {
                target.sink.delete(RowCodec.decodeArray(keys.get(i)));
                target.state.delete(ids.get(i)[0]);
            }
            target.sink.flush();
            target.state.flush();
            run.counters.deleted += ids.size();
            BatchStore.progress(ctx.connection(), run.batchId, run.counters);
            ctx.connection().commit();
            if (after >= run.cursor.passStateMax()) {
                break;
            }
        }
        run.counters.addNanos(Stage.DELTA, System.nanoTime() - t);
    }
}
