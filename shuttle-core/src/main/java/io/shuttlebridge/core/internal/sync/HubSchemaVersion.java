package io.shuttlebridge.core.internal.sync;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.internal.MetaKeys;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.sync.RejectedWrite;
import io.shuttlebridge.core.sync.Transport;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The version of its hub's schema a device last followed ({@code _shuttle_meta}, one key per hub). When a
 * pull answer says another, the device brings its tables up to the hub's schema before applying the page,
 * and notes, with the version, that its writes the hub refused as {@code SCHEMA_MISMATCH} are due to be
 * queued again (they may fit now; a new refusal is a new rejected write), except those naming a column their
 * table no longer has (kept when the hub took the table again at a new shape: the user retries or dismisses
 * them). They are queued again once the pull has applied every page ({@link #requeueIfDue}), as the rows are
 * then: queued before, each would be a write of this device the hub has not acknowledged, which a page or a
 * snapshot carrying the row, where the hub decides conflicts, turns into a conflict the device settles by
 * adopting the hub's row; the write would be gone, marked queued again, and with it the device's value of a
 * column the hub still lacks, which the hub would never get. Internal.
 */
public final class HubSchemaVersion {
    private static final Logger log = LoggerFactory.getLogger(HubSchemaVersion.class);
    private static final String KEY = "hub_schema_version:";
    /** Present while the writes refused as {@code SCHEMA_MISMATCH} are due to be queued again. */
    private static final String REQUEUE_DUE = "schema_mismatch_requeue_due";

    private HubSchemaVersion() {}

    static void followIfMoved(
            EngineContext engine, Transport hub, String hubNode, long version, Predicate<Transport> follow) {
        if (version == 0) {
            return; // a hub that does not say
        }
        String key = KEY + hubNode;
        String seen = engine.db().read(c -> MetaKeys.get(c, key)).orElse(null);
        if (String.valueOf(version).equals(seen)) {
            return;
        }
        if (!follow.test(hub)) {
            return; // this transport cannot read the hub's schema
        }
        engine.db().transaction(c -> {
            followed(c, hubNode, version);
            if (seen != null) {
                MetaKeys.put(c, REQUEUE_DUE, hubNode);
            }
            return null;
        });
    }

    /**
     * Notes that this device's tables are those of version {@code version} of the schema of hub {@code hubNode}
     * (a clone, which created them from it): its first pull then follows the hub's schema only if it moved since.
     */
    public static void followed(Connection c, String hubNode, long version) throws SQLException {
        if (version != 0) {
            MetaKeys.put(c, KEY + hubNode, String.valueOf(version));
        }
    }

    /**
     * Once a pull has applied every page: queues again the writes refused for want of a table or column if
     * the hub's schema moved during it (or during an earlier pull that did not get this far).
     */
    static void requeueIfDue(EngineContext engine) {
        boolean due = engine.db().read(c -> MetaKeys.get(c, REQUEUE_DUE)).isPresent();
        if (!due) {
            return;
        }
        retrySchemaMismatches(engine);
        engine.db().transaction(c -> {
            MetaKeys.remove(c, REQUEUE_DUE);
            return null;
        });
    }

    /** Whether the write names a column its table no longer has here. */
    private static boolean namesGoneColumns(EngineContext engine, RejectedWrite w) {
        if (w.values() == null) {
            return false;
        }
        return engine.schema()
                .table(w.table())
                .map(t -> !t.replicatedColumns().containsAll(w.values().keySet()))
                .orElse(false);
    }

    /** Queues again the open rejected writes the hub refused for want of a table or column. */
    private static void retrySchemaMismatches(EngineContext engine) {
        var dialect = Dialects.of(engine.db());
        for (RejectedWrite w : engine.db().read(c -> RejectedWrites.list(c, dialect, true))) {
            if (w.code() != ErrorCode.SCHEMA_MISMATCH) {
                continue;
            }
            if (namesGoneColumns(engine, w)) {
                // kept when the hub took its table again at a new shape: a retry would drop values, the user decides
                continue;
            }
            try {
                engine.db().transaction(c -> RejectedWrites.requeue(c, engine, w.id()));
            } catch (ShuttleException e) {
                log.info("rejected write {} not queued again: {}", w.id(), e.getMessage());
            }
        }
    }
}
