package io.shuttlebridge.client;

import io.shuttlebridge.client.internal.DeviceMeta;
import io.shuttlebridge.client.internal.DeviceSchema;
import io.shuttlebridge.client.internal.SnapshotAsPull;
import io.shuttlebridge.client.internal.SqliteTables;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.capture.CaptureOptions;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.internal.protocol.HubSchema;
import io.shuttlebridge.core.protocol.Lease;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.core.sync.SyncReport;
import java.sql.Statement;
import java.util.List;

/**
 * Makes a new device from a hub: creates the hub's synced tables, enables capture with the hub's
 * policies, leases a short id, and bootstraps from the snapshot page by page. Running it again on
 * an interrupted clone continues from the last page applied; on a finished one it catches up.
 */
public final class DeviceClone {
    /**
     * Rows per snapshot page while bootstrapping (the hub caps it at its batch limit): the engine's default page,
     * which a hub under rules reads ahead at after a clone's small first page.
     */
    static final int BOOTSTRAP_PAGE = SyncEngine.DEFAULT_PAGE;

    private DeviceClone() {}

    /** What a clone did. */
    public record Result(
            String nodeUuid, String hubNode, List<String> tables, Lease lease, long rows, boolean resumed) {}

    public static Result run(ShuttleDatabase db, HttpTransport hub, ProgressListener progress) {
        HubSchema schema = hub.schema();
        if (schema.tables().isEmpty()) {
            throw new ShuttleException(
                    ErrorCode.NOT_INITIALIZED,
                    "the hub at " + hub.hub() + " syncs no tables: run 'shuttle init' on its database first");
        }
        boolean resumed =
                isInitialized(db) && DeviceMeta.get(db, DeviceMeta.HUB_NODE).isPresent();
        if (resumed) {
            DeviceMeta.get(db, DeviceMeta.HUB_NODE)
                    .filter(n -> !n.equals(schema.hubNode()))
                    .ifPresent(n -> {
                        throw new ShuttleException(
                                ErrorCode.INVALID_ARGUMENT,
                                "this database was cloned from hub node " + n + ", but " + hub.hub() + " is node "
                                        + schema.hubNode() + ": clone into a new file");
                    });
        }
        db.transaction(c -> {
            try (Statement st = c.createStatement()) {
                for (HubSchema.TableSpec t : schema.tables()) {
                    st.execute(SqliteTables.createTable(t, schema.dialect()));
                }
            }
            return null;
        });
        CaptureOptions.Builder options = CaptureOptions.builder()
                .tables(schema.tables().stream().map(HubSchema.TableSpec::name).toList());
        for (HubSchema.TableSpec t : schema.tables()) {
            options.policy(t.name(), t.policy());
            t.excluded().forEach(col -> options.excludeColumn(t.name(), col));
            if (t.scopeColumn() != null) {
                options.scopeColumn(t.name(), t.scopeColumn());
            }
        }
        Capture.EnableResult enabled = Capture.enable(db, options.build(), ProgressListener.NONE);
        DeviceSchema.cloned(db, schema);
        DeviceMeta.put(db, DeviceMeta.HUB_URL, hub.hub().toString());
        DeviceMeta.put(db, DeviceMeta.HUB_NODE, schema.hubNode());
        Lease lease = NodeLeases.lease(db, hub);
        try (SnapshotAsPull snapshot = new SnapshotAsPull(hub, progress)) {
            // large pages: a bootstrap is mostly round trips and transactions per page
            SyncReport report =
                    SyncEngine.builder(db).pageSize(BOOTSTRAP_PAGE).build().pullThenPush(snapshot);
            DeviceMeta.put(db, DeviceMeta.BOOTSTRAPPED, Long.toString(report.lastPulled()));
            return new Result(enabled.nodeUuid(), schema.hubNode(), enabled.tables(), lease, snapshot.rows(), resumed);
        }
    }

    private static boolean isInitialized(ShuttleDatabase db) {
        return db.read(c -> SyncSchema.isInitialized(c, Dialects.of(db)));
    }
}
