package io.shuttlebridge.core.internal.dialect;

import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.feed.EntryBase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * SQL of the feed and the column stamps that the capture of every dialect writes the same way (both
 * dialects' syntax), kept here once.
 */
public final class FeedSql {

    /** The start of an insert of feed entries, naming every column of an entry. */
    public static final String INSERT_ENTRIES =
            "INSERT INTO _shuttle_feed (tbl, pk, seq, op, hlc, origin, version, base, scope, via)";

    /** The clause of a feed write that puts a row's new entry in the place of the one it holds. */
    public static final String ENTRY_REPLACES = """
            ON CONFLICT (tbl, pk) DO UPDATE SET seq = excluded.seq, op = excluded.op, hlc = excluded.hlc,
              origin = excluded.origin, version = excluded.version, base = excluded.base, scope = excluded.scope,
              via = excluded.via""";

    /**
     * The base of the entry folded from log row {@code l} over the entry {@code f} the feed holds for
     * its row (absent: all nulls): a received write keeps its own; a local one builds on the entry it
     * replaces, on nothing (0) when there is none.
     */
    public static final String FOLDED_BASE = """
            CASE WHEN l.origin IS NOT NULL THEN coalesce(l.base, l.version) WHEN f.origin IS NULL THEN 0
              WHEN f.origin = 0 THEN %s ELSE f.version END""".formatted(EntryBase.of("f"));

    /** The start of a write of column stamps (FIELD_LWW tables). */
    public static final String INSERT_COLUMN_STAMPS = "INSERT INTO _shuttle_colclock (tbl, pk, col, hlc, origin)";

    /** The clause of a column stamp write that puts the new stamp in the place of the column's. */
    public static final String COLUMN_STAMP_REPLACES =
            "ON CONFLICT (tbl, pk, col) DO UPDATE SET hlc = excluded.hlc, origin = excluded.origin";

    /** The origin of a column stamp whose hlc column still holds the log seq of its write, until the next fold. */
    public static final int PENDING_ORIGIN = -1;

    private FeedSql() {}

    /**
     * Logs a local upsert of the row with key {@code key} now (stamped by {@code wallStamp}, the
     * dialect's SQL for its clock's time), for a fold to turn into a feed entry.
     */
    public static void logLocalWrite(Connection c, FeedKeys keys, SyncedTable t, List<Object> key, String wallStamp)
            throws SQLException {
        List<Object> args = new ArrayList<>(key.size() + 1);
        args.add(t.id());
        args.addAll(key);
        Jdbc.update(
                c,
                "INSERT INTO _shuttle_log (tbl, pk, op, hlc) VALUES (?, " + keys.keyParameterExpression(t) + ", "
                        + Op.UPSERT.code() + ", " + wallStamp + ")",
                args.toArray());
    }

    /**
     * The version of the entry folded from log row {@code l} over the feed's entry {@code f}: a
     * received write keeps its own, local ones count on from the entry's, {@code writes} writes of
     * the row folded at once.
     */
    public static String foldedVersion(String writes) {
        return "CASE WHEN l.origin IS NULL THEN coalesce(f.version, 0) + " + writes + " ELSE l.version END";
    }
}
