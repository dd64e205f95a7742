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
import io.shuttlebridge.core.internal.sync.apply.Applier;
import io.shuttlebridge.core.internal.sync.apply.Role;
import io.shuttlebridge.core.sync.PullResult;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.core.sync.Transport;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A device clones one table again, when its hub took that table again after a destructive change of it
 * ({@link HubSchema.TableSpec#generation()} moved). The hub's rows of the table are received first, page by
 * page, into a staging table in the device's file ({@link RecloneStaging}: the heap holds one page, whatever
 * the table's size, and the application keeps reading the table as it was meanwhile); then, in one
 * transaction, this device's writes to it that it has not pushed are kept as rejected writes
 * ({@code SCHEMA_MISMATCH}, with the values they had: retry them to write them again in the new shape,
 * the columns it no longer has left out, or dismiss them), the table is built again as a clone builds it, its
 * triggers installed, the staged rows applied page by page as a clone's pull applies them, and the staging
 * table dropped (foreign keys are checked at commit, so rows of other tables that refer to it stay). The
 * application sees the old table or the whole new one, never a part of it. Internal.
 */
final class TableReclone {
    private static final Logger log = LoggerFactory.getLogger(TableReclone.class);
    private static final int MAX_RESTARTS = 3;
    private static final long PROGRESS_EVERY_NANOS = TimeUnit.SECONDS.toNanos(5);

    private TableReclone() {}

    static void run(SyncEngine device, Transport hub, HubSchema.TableSpec spec, String hubDialect) {
        EngineContext engine = EngineAccess.context(device);
        ShuttleDatabase db = device.database();
        Dialect dialect = Dialects.of(db);
        String hubNode = hub.hubNode();
        String name = spec.name();
        RecloneStaging staged = RecloneStaging.start(db);
        SyncSchema before = engine.schema();
        try {
            receive(device, hub, name, engine.pageSize(), staged);
            SyncedTable old = before.require(name);
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
                Applier applier = engine.applier();
                if (staged.pages() > 1) {
                    log.info("cloning table \"{}\" again: {} rows received, applying them", name, staged.rows());
                }
                staged.forEachPage(c, page -> applier.apply(c, page, hubNode, Role.DEVICE));
                RecloneStaging.drop(c);
                TableGenerations.follow(c, name, spec.generation());
                NewColumns.filled(c, name); // its rows are the hub's
                NewColumns.clonedUnfilled(c, name, spec.unfilled()); // but for what the hub has not filled itself
                return n;
            });
            log.warn(
                    "the hub took table \"{}\" again at a new shape (generation {}): cloned it again ({} rows){}",
                    name,
                    spec.generation(),
                    staged.rows(),
                    kept == 0
                            ? ""
                            : "; " + kept + " write(s) of this device to it not pushed yet are kept as rejected"
                                    + " writes (shuttle conflicts list: retry or dismiss them)");
        } catch (RuntimeException e) {
            engine.swapSchema(before);
            dropQuietly(db, e);
            throw e;
        }
    }

    /** Receives the hub's rows of {@code table}, every page of its snapshot, into {@code staged}. */
    private static void receive(SyncEngine device, Transport hub, String table, int pageSize, RecloneStaging staged) {
        long after = 0;
        int restarts = 0;
        long reported = System.nanoTime();
        while (true) {
            PullResult page = hub.snapshot(device.nodeUuid(), after, pageSize, Set.of(table));
            if (page.resyncRequired()) {
                if (after == 0 || ++restarts > MAX_RESTARTS) {
                    throw new ShuttleException(
                            ErrorCode.TRANSPORT,
                            "the hub keeps answering the snapshot of \"" + table + "\" with 'resync'");
                }
                staged.clear();
                after = 0;
                continue;
            }
            List<Change> rows = new ArrayList<>(page.changes().size());
            for (Change ch : page.changes()) {
                if (ch.table().equals(table) && !ch.isDelete()) {
                    rows.add(ch);
                }
            }
            for (int i = 0; i < rows.size(); i += pageSize) { // a page too large for one apply is kept in parts
                staged.add(rows.subList(i, Math.min(rows.size(), i + pageSize)));
            }
            if (!page.more()) {
                return;
            }
            if (System.nanoTime() - reported > PROGRESS_EVERY_NANOS) {
                reported = System.nanoTime();
                log.info("cloning table \"{}\" again: {} rows received so far", table, staged.rows());
            }
            after = page.next();
        }
    }

    /** Drops the staging table after a failed re-clone; one left behind is dropped by the next re-clone anyway. */
    private static void dropQuietly(ShuttleDatabase db, RuntimeException failure) {
        try {
            RecloneStaging.drop(db);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
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
