package io.shuttlebridge.client.internal;

import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.capture.CaptureOptions;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.capture.TableGenerations;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.internal.protocol.HubSchema;
import io.shuttlebridge.core.internal.schema.Column;
import io.shuttlebridge.core.internal.schema.Table;
import io.shuttlebridge.core.internal.sync.EngineAccess;
import io.shuttlebridge.core.internal.sync.HubSchemaVersion;
import io.shuttlebridge.core.internal.sync.NewColumns;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.core.sync.Transport;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives a device the tables and columns its hub's schema gained since the clone: a new table is created
 * as a clone creates it and enabled with the hub's sync settings, a new column is added (same type
 * mapping, nullable) and noted as holding none of the hub's values yet ({@link NewColumns}: the next pull
 * takes them, and until then the device's pushes leave it out where it is NULL). Columns and tables the
 * hub no longer has are left as they are, except in a table the hub took again after a destructive change
 * of it, which the device clones again ({@link TableReclone}).
 */
public final class DeviceSchema {
    private static final Logger log = LoggerFactory.getLogger(DeviceSchema.class);

    private DeviceSchema() {}

    /**
     * Clones again each table the hub took again after a destructive change ({@link TableReclone}), then
     * {@link #follow(ShuttleDatabase, HubSchema)} and has the device's engine take the changes.
     */
    public static void follow(SyncEngine device, Transport transport, HubSchema hub) {
        // first, while its writes not pushed yet are still in the shape they were made in
        for (HubSchema.TableSpec t : hub.tables()) {
            long mine = device.database().read(c -> TableGenerations.followed(c, t.name()));
            if (t.generation() != mine
                    && EngineAccess.context(device).schema().table(t.name()).isPresent()) {
                TableReclone.run(device, transport, t, hub.dialect());
            }
        }
        follow(device.database(), hub);
        device.refreshSchema();
    }

    /**
     * Notes the generation of each of the hub's tables a clone took, and the columns the hub has not filled
     * itself yet (a store hub of a tier): the clone's rows hold NULL there, taken from the hub once it has them.
     */
    public static void cloned(ShuttleDatabase db, HubSchema hub) {
        db.transaction(c -> {
            for (HubSchema.TableSpec t : hub.tables()) {
                if (t.generation() != 0) {
                    TableGenerations.follow(c, t.name(), t.generation());
                }
                NewColumns.clonedUnfilled(c, t.name(), t.unfilled());
            }
            HubSchemaVersion.followed(c, hub.hubNode(), hub.version());
            return null;
        });
    }

    public static List<String> follow(ShuttleDatabase db, HubSchema hub) {
        Dialect dialect = Dialects.of(db);
        List<HubSchema.TableSpec> created = new ArrayList<>();
        List<String> done = db.transaction(c -> {
            List<String> out = new ArrayList<>();
            for (HubSchema.TableSpec t : hub.tables()) {
                if (!dialect.hasTable(c, t.name())) {
                    Jdbc.execute(c, SqliteTables.createTable(t, hub.dialect()));
                    created.add(t);
                    out.add("table \"" + t.name() + "\" created");
                    continue;
                }
                Table mine = dialect.readTable(c, t.name());
                List<String> added = new ArrayList<>();
                for (Column col : t.table().columns()) {
                    if (mine.column(col.name()).isEmpty()) {
                        Object dflt = t.defaults().get(col.name());
                        Jdbc.execute(c, SqliteTables.addColumn(t.name(), col, hub.dialect(), dflt));
                        if (dflt != null) {
                            // the rows here take the default, not the hub's value: NULL marks them unfilled, so the
                            // next pull fills them and a push until then leaves the column out (uncaptured)
                            long token = dialect.capture().beginApply(c);
                            Jdbc.execute(
                                    c,
                                    "UPDATE " + SqliteTables.quote(t.name()) + " SET " + SqliteTables.quote(col.name())
                                            + " = NULL");
                            dialect.capture().endApply(c, token, List.of());
                        }
                        added.add(col.name());
                        out.add("column \"" + t.name() + "\".\"" + col.name() + "\" added");
                    }
                }
                // the rows here hold NULL there until the hub's values are taken: never pushed over them
                NewColumns.add(c, t.name(), added);
                // and those the hub has not filled itself yet (a store hub of a tier) are taken once it has
                NewColumns.hubUnfilled(c, t.name(), t.unfilled());
            }
            return out;
        });
        if (!created.isEmpty()) {
            CaptureOptions.Builder options = CaptureOptions.builder()
                    .tables(created.stream().map(HubSchema.TableSpec::name).toList());
            for (HubSchema.TableSpec t : created) {
                options.policy(t.name(), t.policy());
                t.excluded().forEach(col -> options.excludeColumn(t.name(), col));
                if (t.scopeColumn() != null) {
                    options.scopeColumn(t.name(), t.scopeColumn());
                }
            }
            Capture.enable(db, options.build(), ProgressListener.NONE);
        }
        if (!done.isEmpty()) {
            log.info("the hub's schema changed: {}", String.join(", ", done));
        }
        return done;
    }
}
