package io.shuttlebridge.core.internal.sync;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.change.FeedEntry;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.internal.feed.RowCondition;
import io.shuttlebridge.core.internal.feed.TableRows;
import io.shuttlebridge.core.sync.PullResult;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The rows that entered a reader's set of one table because rows were added to the tables its read
 * predicate reads (DESIGN §9, move-in), found without reading the reader's whole set: for each such
 * table {@code W}, the predicate is evaluated with {@code W} standing for its rows written after the
 * reader's cursor only (a common table expression of {@code W}'s name hides the table from the
 * predicate), so that a predicate that reads {@code W} through sub-selects without negation (one that
 * only grows as rows are added) is satisfied exactly by the rows such an added row lets in, and a few
 * more; every row sent also satisfies the predicate as it is. The rows come in key order, table {@code
 * W} after table {@code W}, each with its feed entry, paged with cursors kept as a filtered snapshot's
 * are ({@link SnapshotCursors}). The cost is one evaluation of the predicate over the table, which an
 * index on the column it tests makes a lookup of the moved rows. Internal.
 */
public final class MovedRows {
    private final EngineContext engine;
    private final ShuttleDatabase db;
    private final Dialect dialect;

    public MovedRows(EngineContext engine) {
        this.engine = engine;
        this.db = engine.db();
        this.dialect = Dialects.of(db);
    }

    /**
     * A page of the rows of {@code table} satisfying {@code condition} that rows of {@code from} (tables the
     * condition reads) written after feed position {@code since} let in, for {@code forNode}: {@code after} is
     * 0 for the first page, then the cursor the previous page answered (the position {@code since} is then
     * the first page's). Hidden columns are the caller's to remove. An unknown or expired cursor is answered
     * with {@link PullResult#resyncRequired()}: the reader then reconciles the table whole.
     */
    public PullResult serve(
            String forNode,
            String table,
            long since,
            long after,
            int limit,
            RowCondition condition,
            List<String> from) {
        NodeIds.require(forNode);
        engine.checkLimit(limit);
        if (after != 0 && !SnapshotCursors.isCursor(after)) {
            throw new ShuttleException(ErrorCode.INVALID_ARGUMENT, "after: not a cursor of moved rows: " + after);
        }
        if (condition.all()) {
            throw new IllegalArgumentException("rows move in only under a predicate");
        }
        SyncedTable t = engine.schema().require(table);
        long now = engine.clock().millis();
        db.transaction(c -> {
            dialect.capture().fold(c); // folded apart, as a snapshot is: every row written so far has its entry
            return null;
        });
        return db.transaction(c -> {
            SnapshotCursors.Position at;
            if (after == 0) {
                SnapshotCursors.forgetExpired(c, now);
                at = new SnapshotCursors.Position(forNode, since, table, null, 0, 0);
            } else {
                Optional<SnapshotCursors.Position> known = SnapshotCursors.load(c, after, forNode, now);
                if (known.isEmpty() || !table.equals(known.get().table())) {
                    return PullResult.resync(after);
                }
                at = known.get();
            }
            dialect.planForValues(c);
            TableRows rows = new TableRows(dialect);
            List<Change> out = new ArrayList<>();
            int i = at.span();
            Object key = at.key();
            while (i < from.size() && out.size() < limit) {
                SyncedTable w = engine.schema().require(from.get(i));
                if (key == null && !addedAfter(c, w, at.horizon())) {
                    i++;
                    continue;
                }
                TableRows.Stretch s = read(c, rows, t, w, at.horizon(), condition, key, limit - out.size());
                s.entries().stream().map(FeedEntry::change).forEach(out::add);
                if (!s.exhausted()) {
                    key = s.after();
                    break;
                }
                i++;
                key = null;
            }
            if (i >= from.size()) {
                return new PullResult(out, 0, false, false);
            }
            long cursor =
                    SnapshotCursors.save(c, new SnapshotCursors.Position(forNode, at.horizon(), table, key, i, 0), now);
            return new PullResult(out, cursor, true, false);
        });
    }

    /** Whether {@code w} has rows written after {@code since}. */
    private static boolean addedAfter(Connection c, SyncedTable w, long since) throws SQLException {
        return Jdbc.queryLong(
                        c,
                        "SELECT 1 FROM _shuttle_feed WHERE tbl = ? AND op = " + Op.UPSERT.code() + " AND seq > ?"
                                + " LIMIT 1",
                        w.id(),
                        since)
                .isPresent();
    }

    /**
     * The rows of {@code t} after {@code key} (null: from the first) that satisfy {@code condition} with {@code
     * w} standing for its rows written after {@code since}, and satisfy it as it is.
     */
    private TableRows.Stretch read(
            Connection c,
            TableRows rows,
            SyncedTable t,
            SyncedTable w,
            long since,
            RowCondition condition,
            Object key,
            int limit)
            throws SQLException {
        String table = dialect.quote(t.name());
        String added = "SELECT w.* FROM " + dialect.qualified(c, w.name()) + " w WHERE "
                + dialect.capture().keyExpression(w, "w") + " IN (SELECT f.pk FROM _shuttle_feed f WHERE f.tbl = ?"
                + " AND f.op = " + Op.UPSERT.code() + " AND f.seq > ?)";
        // the inner derived table reads the predicate with w hidden by its added rows; the outer one as it is
        String from = "(SELECT * FROM (WITH " + dialect.quote(w.name()) + " AS (" + added + ") SELECT * FROM " + table
                + " WHERE (" + condition.sql() + ")) " + table + " WHERE (" + condition.sql() + ")"
                + (key == null ? "" : " AND " + dialect.capture().keyComparison(t, table, ">")) + ") t";
        return rows.readFrom(
                c,
                t,
                from,
                ps -> {
                    int i = 1;
                    ps.setInt(i++, w.id());
                    ps.setLong(i++, since);
                    for (Object arg : condition.args()) {
                        Jdbc.set(ps, i++, arg);
                    }
                    for (Object arg : condition.args()) {
                        Jdbc.set(ps, i++, arg);
                    }
                    if (key != null) {
                        i = dialect.capture().bindKeyValues(ps, i, t, key);
                    }
                    return i;
                },
                limit);
    }
}
