package io.shuttlebridge.client.internal;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.capture.SchemaEvolution;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.capture.TableGenerations;
import io.shuttlebridge.core.internal.change.FeedEntry;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.internal.feed.FeedReader;
import io.shuttlebridge.core.internal.protocol.HubSchema;
import io.shuttlebridge.core.internal.sync.EngineAccess;
import io.shuttlebridge.core.internal.sync.EngineContext;
import io.shuttlebridge.core.internal.sync.NewColumns;
import io.shuttlebridge.core.internal.sync.PeerStore;
import io.shuttlebridge.core.internal.sync.RejectedWrites;
import io.shuttlebridge.core.internal.sync.apply.Role;
import io.shuttlebridge.core.sync.PullResult;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.core.sync.Transport;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A device clones one table again, when its hub took that table again after a destructive change of it
 * ({@link HubSchema.TableSpec#generation()} moved). The hub's rows of the table are read first; then, in
 * one transaction, this device's writes to it that it has not pushed are kept as rejected writes
 * ({@code SCHEMA_MISMATCH}, with the values they had: retry them to write them again in the new shape,
 * the columns it no longer has left out, or dismiss them), the table is built again as a clone builds it, its triggers installed, and the hub's rows
 * applied (foreign keys are checked at commit, so rows of other tables that refer to it stay). Internal.
 */
final class TableReclone {
    private static final Logger log = LoggerFactory.getLogger(TableReclone.class);
    private static final int MAX_RESTARTS = 3;

    private TableReclone() {}

    static void run(SyncEngine device, Transport hub, HubSchema.TableSpec spec, String hubDialect) {
        EngineContext engine = EngineAccess.context(device);
        ShuttleDatabase db = device.database();
        Dialect dialect = Dialects.of(db);
        String hubNode = hub.hubNode();
        String name = spec.name();
        List<Change> rows = hubRows(device, hub, name, engine.pageSize());
        SyncSchema before = engine.schema();
        SyncedTable old = before.require(name);
        try {
            int kept = db.durableTransaction(c -> {
                int n = keepUnpushed(
                        c, dialect, before, hubNode, spec, engine.clock().millis());
                long token = dialect.capture().beginApply(c);
                Jdbc.execute(c, "PRAGMA defer_foreign_keys = ON"); // rows that refer to it are checked at commit
                Jdbc.execute(c, "DROP TABLE " + dialect.quote(name));
                Jdbc.execute(c, SqliteTables.createTable(spec, hubDialect));
                Jdbc.update(c, "DELETE FROM _shuttle_feed WHERE tbl = ?", old.id());
                Jdbc.update(c, "DELETE FROM _shuttle_colclock WHERE tbl = ?", old.id());
                dialect.capture().endApply(c, token, List.of());
                engine.swapSchema(SchemaEvolution.takeAgain(c, dialect, name));
                engine.applier().apply(c, rows, hubNode, Role.DEVICE);
                TableGenerations.follow(c, name, spec.generation());
                NewColumns.filled(c, name); // its rows are the hub's
                return n;
            });
            log.warn(
                    "the hub took table \"{}\" again at a new shape (generation {}): cloned it again ({} rows){}",
                    name,
                    spec.generation(),
                    rows.size(),
                    kept == 0
                            ? ""
                            : "; " + kept + " write(s) of this device to it not pushed yet are kept as rejected"
                                    + " writes (shuttle conflicts list: retry or dismiss them)");
        } catch (RuntimeException e) {
            engine.swapSchema(before);
            throw e;
        }
    }

    /** The hub's rows of {@code table}, every page of its snapshot. */
    private static List<Change> hubRows(SyncEngine device, Transport hub, String table, int pageSize) {
        List<Change> rows = new ArrayList<>();
        long after = 0;
        int restarts = 0;
        while (true) {
            PullResult page = hub.snapshot(device.nodeUuid(), after, pageSize, Set.of(table));
            if (page.resyncRequired()) {
                if (after == 0 || ++restarts > MAX_RESTARTS) {
                    throw new ShuttleException(
                            ErrorCode.TRANSPORT,
                            "the hub keeps answering the snapshot of \"" + table + "\" with 'resync'");
                }
                rows.clear();
                after = 0;
                continue;
            }
            for (Change ch : page.changes()) {
                if (ch.table().equals(table) && !ch.isDelete()) {
                    rows.add(ch);
                }
            }
            if (!page.more()) {
                return rows;
            }
            after = page.next();
        }
    }

    /** This device's writes to the table the hub has not acknowledged, kept as rejected writes; returns how many. */
    private static int keepUnpushed(
            Connection c, Dialect dialect, SyncSchema schema, String hubNode, HubSchema.TableSpec spec, long now)
            throws SQLException {
        FeedReader reader = new FeedReader(dialect, schema);
        long after = PeerStore.get(c, hubNode).lastPushed();
        int n = 0;
        while (true) {
            FeedReader.Page page = reader.read(
                    c, FeedReader.Query.after(after, 500).excludingPeer(hubNode).onlyTables(Set.of(spec.name())));
            for (FeedEntry e : page.entries()) {
                RejectedWrites.keep(
                        c,
                        e.change(),
                        ErrorCode.SCHEMA_MISMATCH,
                        "written before the hub took table \"" + spec.name() + "\" again at a new shape; retry it to"
                                + " write it again in the new shape, or dismiss it",
                        now);
                n++;
            }
            if (!page.more()) {
                return n;
            }
            after = page.lastSeq();
        }
    }
}
