package io.shuttlebridge.client.internal;

import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.change.ChangeCodec;
import io.shuttlebridge.core.internal.protocol.WireCodec;
import io.shuttlebridge.core.sync.PullResult;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * The hub's rows of a table being cloned again ({@link TableReclone}), kept in the device's own file while
 * they arrive: one row of {@value #TABLE} per page of the hub's snapshot, as the wire carries it (values keep
 * their exact kinds), each page written in a short transaction of its own. The application never sees it;
 * the re-clone reads it back page by page, so the heap holds one page whatever the table's size. A staging
 * table a killed process left behind is dropped when the next re-clone starts. Internal.
 */
public final class RecloneStaging {
    /** The staging table. */
    public static final String TABLE = "_shuttle_reclone";

    private final ShuttleDatabase db;
    private long pages;
    private long rows;

    private RecloneStaging(ShuttleDatabase db) {
        this.db = db;
    }

    /** A new, empty staging table; one left over from an interrupted re-clone is dropped first. */
    static RecloneStaging start(ShuttleDatabase db) {
        RecloneStaging s = new RecloneStaging(db);
        db.transaction(c -> {
            drop(c);
            Jdbc.execute(c, "CREATE TABLE " + TABLE + " (page INTEGER PRIMARY KEY, body BLOB NOT NULL)");
            return null;
        });
        return s;
    }

    /** Empties it: the hub's snapshot starts again from its beginning. */
    void clear() {
        db.transaction(c -> Jdbc.update(c, "DELETE FROM " + TABLE));
        pages = 0;
        rows = 0;
    }

    /** Keeps one page of the hub's rows, in a transaction of its own. */
    void add(List<Change> page) {
        if (page.isEmpty()) {
            return;
        }
        byte[] body = WireCodec.pullResultBytes(new PullResult(page, 0, false, false), -1);
        long n = ++pages;
        db.transaction(c -> Jdbc.update(c, "INSERT INTO " + TABLE + " (page, body) VALUES (?, ?)", n, body));
        rows += page.size();
    }

    /** How many rows it holds. */
    long rows() {
        return rows;
    }

    /** How many pages it holds. */
    long pages() {
        return pages;
    }

    /** What is done with each page read back. */
    @FunctionalInterface
    interface PageWork {
        void apply(List<Change> page) throws SQLException;
    }

    /** Reads the pages back in the order they came, one at a time, inside the caller's transaction on {@code c}. */
    void forEachPage(Connection c, PageWork work) throws SQLException {
        long after = 0;
        while (true) {
            byte[] body = null;
            long page = 0;
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT page, body FROM " + TABLE + " WHERE page > ? ORDER BY page LIMIT 1")) {
                ps.setLong(1, after);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        page = rs.getLong(1);
                        body = rs.getBytes(2);
                    }
                }
            }
            if (body == null) {
                return;
            }
            work.apply(decode(body));
            after = page;
        }
    }

    private static List<Change> decode(byte[] body) {
        WireCodec.Page fast = WireCodec.readPage(body);
        if (fast != null) {
            return fast.result().changes();
        }
        return WireCodec.pullResult(ChangeCodec.parse(new String(body, StandardCharsets.UTF_8), "staged page"))
                .changes();
    }

    /** Drops the staging table, if there is one. */
    static void drop(Connection c) throws SQLException {
        Jdbc.execute(c, "DROP TABLE IF EXISTS " + TABLE);
    }

    /** Drops the staging table, if there is one, in a transaction of its own. */
    static void drop(ShuttleDatabase db) {
        db.transaction(c -> {
            drop(c);
            return null;
        });
    }
}
