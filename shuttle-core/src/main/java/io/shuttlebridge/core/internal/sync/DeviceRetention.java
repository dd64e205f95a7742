package io.shuttlebridge.core.internal.sync;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.id.Hlc;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.MetaKeys;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.sync.PeerCursor;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A device forgets what is over, once a day at the end of a sync, so that its {@code _shuttle_} tables grow
 * with its rows and open matters, not with every write it ever saw: the records of what ended more than the
 * keeping time ago ({@link MetadataRetention}: resolved conflicts, settled rejected writes, imported
 * bundles), and the tombstones its hub no longer needs from it. Those are the deletes older than the
 * keeping time, of tables whose rows are ordered by stamps alone (LWW, FIELD_LWW), that its hubs have
 * acknowledged (its own, pushed and not refused) or that came from a hub: the hub holds the row's state
 * after them, and a later write of the row, from anyone, is newer and applies as an insert. Tables under a
 * version-based policy keep their tombstones (a row written again builds its version on the tombstone's),
 * and a database that serves devices of its own (the middle of a tier) keeps them all: the hub's purge
 * ({@link HubSide#purgeTombstones}) decides there. Internal.
 */
public final class DeviceRetention {
    private static final String LAST_RUN = "device_retention_at";
    private static final Duration EVERY = Duration.ofDays(1);

    private DeviceRetention() {}

    /** Runs when a day has passed since it last ran; returns how many tombstones and records went. */
    public static int maybeRun(Connection c, Dialect dialect, SyncSchema schema, Instant now, Duration keep)
            throws SQLException {
        var last = MetaKeys.get(c, LAST_RUN);
        if (last.isPresent() && Instant.parse(last.get()).plus(EVERY).isAfter(now)) {
            return 0;
        }
        MetaKeys.put(c, LAST_RUN, now.toString());
        int records = MetadataRetention.prune(c, dialect, now.minus(keep)).values().stream()
                .mapToInt(Integer::intValue)
                .sum();
        return records + purge(c, dialect, schema, now.minus(keep));
    }

    /** Forgets the tombstones written before {@code before} that no one needs from this device any more. */
    public static int purge(Connection c, Dialect dialect, SyncSchema schema, Instant before) throws SQLException {
        List<PeerCursor> peers = PeerStore.all(c);
        if (peers.isEmpty() || peers.stream().anyMatch(p -> p.lastOutcome() == null)) {
            return 0; // no hub synced with yet, or devices of its own that pull from here
        }
        String tables = schema.tables().stream()
                .filter(t -> t.policy() == ConflictPolicy.LWW || t.policy() == ConflictPolicy.FIELD_LWW)
                .map(SyncedTable::id)
                .map(String::valueOf)
                .collect(Collectors.joining(", "));
        if (tables.isEmpty()) {
            return 0;
        }
        dialect.capture().fold(c);
        long acknowledged =
                peers.stream().mapToLong(PeerCursor::lastPushed).min().orElse(0);
        return Jdbc.update(
                c,
                "DELETE FROM _shuttle_feed WHERE op = 2 AND tbl IN (" + tables + ") AND hlc < ?"
                        + " AND (via IS NOT NULL OR seq <= ?)"
                        + " AND NOT EXISTS (SELECT 1 FROM _shuttle_refused r WHERE r.seq = _shuttle_feed.seq)",
                Hlc.pack(before.toEpochMilli(), 0),
                acknowledged);
    }
}
