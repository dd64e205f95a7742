package io.shuttlebridge.core.internal.sync;

import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.change.FeedEntry;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.internal.feed.Feed;
import io.shuttlebridge.core.internal.feed.FeedReader;
import io.shuttlebridge.core.internal.feed.OldRows;
import io.shuttlebridge.core.internal.feed.RowCondition;
import io.shuttlebridge.core.internal.feed.TableRows;
import io.shuttlebridge.core.internal.feed.Tombstones;
import io.shuttlebridge.core.sync.PullResult;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The snapshot of a reader that may have only some rows (sync rules' read half), driven from those
 * rows: table by table in parent-first order, each table's qualifying rows in primary-key order
 * ({@link TableRows}), then the tombstones of those tables. The feed entries of rows the reader may
 * not have are never read, so the snapshot costs what it delivers plus one pass over each table's
 * key index.
 *
 * <p>The first page fixes the snapshot's horizon, the feed position it starts at; the last answers
 * that horizon as its cursor, so the reader's pulls go on from there and bring whatever changed while
 * it paged (a row changed after the horizon may come twice, which the reader counts as a duplicate).
 * Between pages the position is kept by {@link SnapshotCursors}; a cursor that is unknown, expired or
 * another node's is answered with "resync", and the reader starts the snapshot over. Internal.
 */
public final class FilteredSnapshot {
    private final EngineContext engine;
    private final ShuttleDatabase db;
    private final Dialect dialect;
    /** Where the tombstones lie, read once and then past what was read: a snapshot does not read the whole feed. */
    private final Tombstones tombstones;

    public FilteredSnapshot(EngineContext engine) {
        this.engine = engine;
        this.db = engine.db();
        this.dialect = Dialects.of(db);
        this.tombstones = new Tombstones(dialect, engine.schema());
    }

    /** Whether {@code cursor} is one a filtered snapshot hands out between its pages. */
    public static boolean isCursor(long cursor) {
        return SnapshotCursors.isCursor(cursor);
    }

    /**
     * A page of the snapshot of the rows {@code readable} lets {@code forNode} have, read from {@code source}
     * (this hub's database, or a hot standby of it): {@code after} is 0 for the first page, then the cursor
     * the previous page answered. Tables not in {@code readable} are left out; hidden columns are the
     * caller's to remove. Cursors are kept in this hub's database whichever serves the rows.
     */
    public PullResult serve(
            ShuttleDatabase source, String forNode, long after, int limit, Map<String, RowCondition> readable) {
        NodeIds.require(forNode);
        engine.checkLimit(limit);
        if (after != 0 && !isCursor(after)) {
            throw new IllegalArgumentException("not a filtered snapshot cursor: " + after);
        }
        long now = engine.clock().millis();
        if (source == db) {
            // folded apart: the fold's lock (which orders the feed) is not held while the page reads rows
            db.transaction(c -> {
                dialect.capture().fold(c);
                return null;
            });
            return db.transaction(c -> {
                SnapshotCursors.Position at;
                if (after == 0) {
                    SnapshotCursors.forgetExpired(c, now);
                    at = start(c, forNode, limit, readable);
                } else {
                    Optional<SnapshotCursors.Position> known = SnapshotCursors.load(c, after, forNode, now);
                    if (known.isEmpty()) {
                        return PullResult.resync(after);
                    }
                    at = known.get();
                }
                Page p = page(c, at, limit, readable);
                return p.unknown()
                        ? PullResult.resync(after)
                        : p.result(p.next() == null ? 0 : SnapshotCursors.save(c, p.next(), now));
            });
        }
        // a standby is read only: the cursors are this hub's, read and kept apart from the rows
        Optional<SnapshotCursors.Position> known =
                after == 0 ? Optional.empty() : db.transaction(c -> SnapshotCursors.load(c, after, forNode, now));
        if (after != 0 && known.isEmpty()) {
            return PullResult.resync(after);
        }
        Page p = source.transaction(
                c -> page(c, known.isPresent() ? known.get() : start(c, forNode, limit, readable), limit, readable));
        if (p.unknown()) {
            return PullResult.resync(after);
        }
        if (p.next() == null) {
            return p.result(0);
        }
        return p.result(db.transaction(c -> {
            if (after == 0) {
                SnapshotCursors.forgetExpired(c, now);
            }
            return SnapshotCursors.save(c, p.next(), now);
        }));
    }

    /**
     * Whether {@code cursor} is one this hub handed to {@code forNode} and still keeps (not expired, not lost with
     * a restore): a page read ahead from it is answered only then, as a page read when asked would be.
     */
    public boolean holds(long cursor, String forNode) {
        long now = engine.clock().millis();
        return db.read(c -> SnapshotCursors.load(c, cursor, forNode, now)).isPresent();
    }

    /** The first page's position: the first readable table, as of the feed position now (the horizon). */
    private SnapshotCursors.Position start(Connection c, String forNode, int limit, Map<String, RowCondition> readable)
            throws SQLException {
        long horizon = Feed.top(c);
        List<SyncedTable> tables = tables(readable);
        return new SnapshotCursors.Position(
                forNode, horizon, tables.isEmpty() ? null : tables.get(0).name(), null, limit, 0);
    }

    /**
     * A page read: its changes, the snapshot's horizon, and where the next page starts (null when this
     * was the last); {@code unknown} when the position named a table that is no longer readable.
     */
    private record Page(List<Change> changes, long horizon, SnapshotCursors.Position next, boolean unknown) {
        /** The answer, {@code cursor} naming {@link #next}. */
        PullResult result(long cursor) {
            return next == null
                    ? new PullResult(changes, horizon, false, false)
                    : new PullResult(changes, cursor, true, false);
        }
    }

    /** The page from {@code at}. */
    private Page page(Connection c, SnapshotCursors.Position at, int limit, Map<String, RowCondition> readable)
            throws SQLException {
        List<SyncedTable> tables = tables(readable);
        int i = tables.size();
        if (at.table() != null) {
            i = tables.stream().map(SyncedTable::name).toList().indexOf(at.table());
            if (i < 0) {
                return new Page(List.of(), at.horizon(), null, true);
            }
        }
        // a stretch's plan depends on how many keys it spans and rows its condition keeps: planned for its values,
        // not once for any (a plan made for a few keys looks the condition up row by row through a whole span)
        dialect.planForValues(c);
        TableRows rows = new TableRows(dialect);
        List<FeedEntry> page = new ArrayList<>();
        Object key = at.key();
        // a span fitted to the previous page's size, made as wide for this one's (a clone's first page is small)
        int span = TableRows.rescaled(at.span(), at.spanRows(), limit);
        long seq = at.seq();
        while (page.size() < limit && i < tables.size()) {
            SyncedTable t = tables.get(i);
            TableRows.Stretch s = rows.read(c, t, readable.get(t.name()), key, limit - page.size(), span);
            page.addAll(s.entries());
            span = s.span();
            key = s.after();
            if (s.exhausted()) {
                i++;
                span = limit;
            }
        }
        boolean done = false;
        if (page.size() < limit && i >= tables.size()) {
            if (tables.isEmpty()) {
                done = true;
            } else {
                FeedReader.Page deletes = tombstones.read(
                        c,
                        tables.stream().map(SyncedTable::id).collect(Collectors.toSet()),
                        seq,
                        at.horizon(),
                        limit - page.size());
                page.addAll(readableDeletes(c, deletes.entries(), readable));
                done = !deletes.more();
                seq = deletes.lastSeq();
            }
        }
        List<Change> changes = page.stream().map(FeedEntry::change).toList();
        String table = i < tables.size() ? tables.get(i).name() : null;
        return new Page(
                changes,
                at.horizon(),
                done ? null : new SnapshotCursors.Position(at.node(), at.horizon(), table, key, span, seq, limit),
                false);
    }

    /**
     * Of a page of tombstones, those the reader may be told of: every one of a table it reads whole, and of
     * a table read through a condition those whose old-row image satisfies it ({@link OldRows}).
     */
    private List<FeedEntry> readableDeletes(Connection c, List<FeedEntry> deletes, Map<String, RowCondition> readable)
            throws SQLException {
        Map<String, List<Long>> byTable = new java.util.HashMap<>();
        for (FeedEntry e : deletes) {
            if (!readable.get(e.change().table()).all()) {
                byTable.computeIfAbsent(e.change().table(), k -> new ArrayList<>())
                        .add(e.seq());
            }
        }
        if (byTable.isEmpty()) {
            return deletes;
        }
        java.util.Set<Long> kept = new java.util.HashSet<>();
        for (var e : byTable.entrySet()) {
            kept.addAll(OldRows.readable(
                    c, dialect, engine.schema().require(e.getKey()), readable.get(e.getKey()), e.getValue()));
        }
        return deletes.stream()
                .filter(e -> readable.get(e.change().table()).all() || kept.contains(e.seq()))
                .toList();
    }

    /** The readable tables, parents first. */
    private List<SyncedTable> tables(Map<String, RowCondition> readable) {
        List<SyncedTable> out = new ArrayList<>();
        for (String name : engine.schema().plan().upsertOrder()) {
            if (readable.containsKey(name)) {
                engine.schema().table(name).ifPresent(out::add);
            }
        }
        return out;
    }
}
