package io.shuttlebridge.core.internal.sync;

import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.dialect.Dialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Forgets the records of what is over and done once they are older than the keeping time: resolved or
 * dismissed conflicts, dismissed or retried rejected writes, the ids of imported bundles, a hub's
 * re-stamps, and Bridge batches (with their dead letters settled). What is still open is kept
 * whatever its age. The engine's metadata then grows with rows and open matters, not with writes.
 * Internal.
 */
public final class MetadataRetention {
    private MetadataRetention() {}

    /** Deletes what ended before {@code cutoff}; returns how many records, by table, where any. */
    public static Map<String, Integer> prune(Connection c, Dialect dialect, Instant cutoff) throws SQLException {
        // ISO instants compare as text when both have whole seconds; a cutoff on a whole second errs by less than one
        String before = cutoff.truncatedTo(ChronoUnit.SECONDS).toString();
        Map<String, Integer> out = new LinkedHashMap<>();
        delete(c, dialect, out, "_shuttle_conflicts", "status <> 'open' AND resolved_at < ?", before);
        delete(c, dialect, out, "_shuttle_rejected", "status <> 'open' AND rejected_at < ?", before);
        delete(c, dialect, out, "_shuttle_bundles", "imported_at < ?", before);
        delete(c, dialect, out, "_shuttle_restamps", "restamped_at < ?", before);
        delete(c, dialect, out, "_shuttle_bridge_dead_letter", "status <> 'OPEN' AND updated_at < ?", before);
        delete(c, dialect, out, "_shuttle_bridge_batch", "finished_at IS NOT NULL AND finished_at < ?", before);
        return out;
    }

    private static void delete(
            Connection c, Dialect dialect, Map<String, Integer> out, String table, String where, String before)
            throws SQLException {
        if (!dialect.hasTable(c, table)) {
            return;
        }
        int n = Jdbc.update(c, "DELETE FROM " + table + " WHERE " + where, before);
        if (n > 0) {
            out.put(table, n);
        }
    }
}
