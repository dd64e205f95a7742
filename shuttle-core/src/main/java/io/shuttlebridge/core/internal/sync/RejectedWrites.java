package io.shuttlebridge.core.internal.sync;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.MetaKeys;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.change.ChangeCodec;
import io.shuttlebridge.core.internal.change.FeedEntry;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.internal.dialect.Identifiers;
import io.shuttlebridge.core.internal.feed.FeedReader;
import io.shuttlebridge.core.sync.PushResult;
import io.shuttlebridge.core.sync.RejectedWrite;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A device's writes its hub refused ({@code _shuttle_rejected}), recorded with the acknowledgement of
 * the page that carried them: the rest of the queue goes on, and nothing is lost silently. Internal.
 */
public final class RejectedWrites {
    private static final Logger log = LoggerFactory.getLogger(RejectedWrites.class);
    private static final String TABLE = """
            CREATE TABLE IF NOT EXISTS _shuttle_rejected (id BIGINT PRIMARY KEY, tbl TEXT NOT NULL,
              key_json TEXT NOT NULL, op TEXT NOT NULL, values_json TEXT, code TEXT NOT NULL, message TEXT NOT NULL,
              hlc BIGINT NOT NULL, rejected_at TEXT NOT NULL, status TEXT NOT NULL)""";
    private static final String COLUMNS = "id, tbl, key_json, op, values_json, code, message, hlc, rejected_at, status";
    private static final String RETRIED = "retried";

    private RejectedWrites() {}

    /** Whether this database has recorded rejected writes at all ({@code _shuttle_rejected} exists). */
    static boolean recorded(Connection c, Dialect dialect) throws SQLException {
        return dialect.hasTable(c, "_shuttle_rejected");
    }

    /**
     * SQL true of the feed entry {@code f} of a row of {@code t} that is this device's own write, refused by the
     * hub for want of a table or column and still open: a row the hub never held. Only where {@link #recorded}.
     */
    static String ownOpenSchemaMismatch(SyncedTable t) {
        return "f.via IS NULL AND f.hlc IN (SELECT x.hlc FROM _shuttle_rejected x WHERE x.tbl = "
                + Identifiers.literal(t.name()) + " AND x.status = 'open' AND x.code = "
                + Identifiers.literal(ErrorCode.SCHEMA_MISMATCH.name()) + ")";
    }

    /** A refused change ({@code id} in {@code _shuttle_rejected}) whose row is to be put back as the hub has it, or removed. */
    private record Restore(long id, Change refused, Change hubRow) {}

    /** Rejected writes whose row could not be removed yet, kept under this key of {@code _shuttle_meta}. */
    private static final String UNREMOVED = "unremoved_rejected";

    /**
     * Records the page's changes the hub refused, and puts the hub's version of their rows back:
     * removals children first, restores parents first, so the device's own foreign keys hold. A row
     * that cannot be removed yet (a row of its own, refused in a later page or push, still refers to
     * it) is noted and tried again with every later page until it goes.
     */
    static void record(
            Connection c, EngineContext engine, String hubNode, FeedReader.Page page, PushResult r, long nowMillis)
            throws SQLException {
        List<Restore> todo = unremoved(c, engine);
        if (r != null && !r.refused().isEmpty()) {
            Jdbc.execute(c, TABLE);
            long id = Jdbc.queryLong(c, "SELECT max(id) FROM _shuttle_rejected").orElse(0L);
            for (PushResult.Refusal x : r.refused()) {
                Change ch = changeOf(page, x);
                if (ch == null) {
                    continue; // not a change of this page: an answer that does not match what was sent
                }
                id++;
                Jdbc.update(
                        c,
                        "INSERT INTO _shuttle_rejected (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'open')",
                        id,
                        ch.table(),
                        ChangeCodec.keyJson(ch.key()),
                        ch.op().name(),
                        ch.values() == null ? null : ChangeCodec.valuesJson(ch.values()),
                        x.code().name(),
                        x.message(),
                        ch.hlc(),
                        Instant.ofEpochMilli(nowMillis).toString());
                log.warn(
                        "the hub refused this device's write to {} {} ({}: {}); kept as rejected write {}"
                                + " (shuttle conflicts list)",
                        ch.table(),
                        ch.key(),
                        x.code(),
                        x.message(),
                        id);
                if (x.code() != ErrorCode.SCHEMA_MISMATCH) {
                    todo.add(new Restore(id, ch, x.hubRow()));
                } // else the hub has nowhere to keep it yet: the row stays as this device wrote it
            }
        }
        if (todo.isEmpty()) {
            return;
        }
        List<Restore> left = putBack(c, engine, hubNode, todo);
        MetaKeys.removePrefix(c, UNRESTORED);
        List<String> ids = left.stream()
                .filter(x -> x.hubRow() == null)
                .map(x -> String.valueOf(x.id()))
                .toList();
        if (ids.isEmpty()) {
            MetaKeys.remove(c, UNREMOVED);
        } else {
            MetaKeys.put(c, UNREMOVED, String.join(",", ids));
        }
        for (Restore x : left) {
            if (x.hubRow() != null) {
                // the hub's row is kept with it, to be put back with a later page
                MetaKeys.put(c, UNRESTORED + x.id(), ChangeCodec.toJson(ChangeCodec.change(x.hubRow())));
            }
        }
    }

    /**
     * Keeps {@code ch}, a write of this device its hub cannot take as it is (made before the hub changed the
     * table's shape, say), as an open rejected write with {@code code} and {@code message}; returns its id.
     */
    public static long keep(Connection c, Change ch, ErrorCode code, String message, long nowMillis)
            throws SQLException {
        Jdbc.execute(c, TABLE);
        long id = Jdbc.queryLong(c, "SELECT max(id) FROM _shuttle_rejected").orElse(0L) + 1;
        Jdbc.update(
                c,
                "INSERT INTO _shuttle_rejected (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'open')",
                id,
                ch.table(),
                ChangeCodec.keyJson(ch.key()),
                ch.op().name(),
                ch.isDelete() ? null : ChangeCodec.valuesJson(ch.values()),
                code.name(),
                message,
                ch.hlc(),
                Instant.ofEpochMilli(nowMillis).toString());
        log.warn("this device's write to {} {} kept as rejected write {}: {}", ch.table(), ch.key(), id, message);
        return id;
    }

    /** Rejected writes whose row the hub's version could not be put back in yet: this prefix and the id, the hub's row. */
    private static final String UNRESTORED = "unrestored_rejected:";

    /** The rejected writes noted as not removed (or not put back) yet. */
    private static List<Restore> unremoved(Connection c, EngineContext engine) throws SQLException {
        List<Restore> out = new ArrayList<>();
        if (!recorded(c, Dialects.of(engine.db()))) {
            return out; // nothing was ever rejected here
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT m.key, m.value, r.tbl, r.key_json, r.hlc FROM _shuttle_meta m JOIN _shuttle_rejected r"
                        + " ON m.key = ? || CAST(r.id AS TEXT) WHERE m.key LIKE ?")) {
            ps.setString(1, UNRESTORED);
            ps.setString(2, UNRESTORED + "%");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long id = Long.parseLong(rs.getString(1).substring(UNRESTORED.length()));
                    Change hubRow = ChangeCodec.change(ChangeCodec.parse(rs.getString(2), "hub row"), "hub row");
                    Change refused = new Change(
                            rs.getString(3),
                            ChangeCodec.keyFromJson(rs.getString(4)),
                            Op.UPSERT,
                            null,
                            rs.getLong(5),
                            engine.nodeUuid(),
                            0,
                            0,
                            null);
                    out.add(new Restore(id, refused, hubRow));
                }
            }
        }
        String ids = MetaKeys.get(c, UNREMOVED).orElse("");
        for (String id : ids.split(",")) {
            if (id.isBlank()) {
                continue;
            }
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT tbl, key_json, hlc FROM _shuttle_rejected WHERE id = ?")) {
                ps.setLong(1, Long.parseLong(id));
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        Change refused = new Change(
                                rs.getString(1),
                                ChangeCodec.keyFromJson(rs.getString(2)),
                                Op.UPSERT,
                                null,
                                rs.getLong(3),
                                engine.nodeUuid(),
                                0,
                                0,
                                null);
                        out.add(new Restore(Long.parseLong(id), refused, null));
                    }
                }
            }
        }
        return out;
    }

    private static List<Restore> putBack(Connection c, EngineContext engine, String hubNode, List<Restore> todo)
            throws SQLException {
        List<String> deleteOrder = engine.schema().plan().deleteOrder();
        List<String> upsertOrder = engine.schema().plan().upsertOrder();
        List<Restore> ordered = new ArrayList<>(todo);
        ordered.sort(Comparator.comparingInt((Restore x) -> x.hubRow() == null ? 0 : 1)
                .thenComparingInt(x -> x.hubRow() == null
                        ? deleteOrder.indexOf(x.refused().table())
                        : upsertOrder.indexOf(x.refused().table())));
        while (true) {
            List<Restore> left = new ArrayList<>();
            for (Restore x : ordered) {
                if (!RefusedRowRestore.restore(c, engine, hubNode, x.refused(), x.hubRow())) {
                    left.add(x);
                }
            }
            if (left.isEmpty() || left.size() == ordered.size()) {
                return left;
            }
            ordered = left;
        }
    }

    private static Change changeOf(FeedReader.Page page, PushResult.Refusal x) {
        List<FeedEntry> entries = page.entries();
        if (x.index() >= 0
                && x.index() < entries.size()
                && entries.get(x.index()).change().stamp().equals(x.stamp())) {
            return entries.get(x.index()).change();
        }
        for (FeedEntry e : entries) {
            if (e.change().stamp().equals(x.stamp())) {
                return e.change();
            }
        }
        return null;
    }

    public static List<RejectedWrite> list(Connection c, Dialect dialect, boolean openOnly) throws SQLException {
        List<RejectedWrite> out = new ArrayList<>();
        if (!recorded(c, dialect)) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM _shuttle_rejected"
                        + (openOnly ? " WHERE status = 'open'" : "") + " ORDER BY id");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String values = rs.getString(5);
                out.add(new RejectedWrite(
                        rs.getLong(1),
                        rs.getString(2),
                        ChangeCodec.keyFromJson(rs.getString(3)),
                        Op.valueOf(rs.getString(4)),
                        values == null ? null : ChangeCodec.valuesFromJson(values),
                        code(rs.getString(6)),
                        rs.getString(7),
                        rs.getLong(8),
                        rs.getString(9),
                        rs.getString(10)));
            }
        }
        return out;
    }

    /** Marks one as dismissed: seen, and nothing more to do. */
    public static RejectedWrite dismiss(Connection c, Dialect dialect, long id) throws SQLException {
        int n = recorded(c, dialect)
                ? Jdbc.update(c, "UPDATE _shuttle_rejected SET status = 'dismissed' WHERE id = ?", id)
                : 0;
        if (n == 0) {
            throw new ShuttleException(ErrorCode.NOT_FOUND, "no rejected write with id " + id);
        }
        return find(c, dialect, id);
    }

    /**
     * Writes the rejected write again as a new local write of its row, captured and pushed on the next
     * sync like any other (after its hub was changed to take it, say), and marks it {@code retried}; a
     * new refusal of it is a new rejected write. A delete of a row this device no longer has is not
     * written again.
     */
    public static RejectedWrite retry(Connection c, EngineContext engine, long id) throws SQLException {
        Dialect dialect = Dialects.of(engine.db());
        RejectedWrite w = find(c, dialect, id);
        if (w.status().equals(RETRIED)) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT,
                    "rejected write " + id + " was queued again already; if the hub refused it again, that refusal"
                            + " is listed under an id of its own");
        }
        SyncedTable t = engine.schema()
                .table(w.table())
                .orElseThrow(() -> new ShuttleException(
                        ErrorCode.NOT_FOUND,
                        "rejected write " + id + " is of table \"" + w.table()
                                + "\", which this device no longer syncs: dismiss it"));
        if (w.op() == Op.DELETE) {
            if (!exists(c, dialect, t, w.key())) {
                throw new ShuttleException(
                        ErrorCode.INVALID_ARGUMENT,
                        "rejected write " + id + " deleted " + w.table() + " " + w.key()
                                + ", which this device does not have: there is nothing to delete again; dismiss it");
            }
            SettlementWriter.write(c, dialect, t, w.key(), null);
        } else {
            SettlementWriter.write(c, dialect, t, w.key(), inShape(t, w));
        }
        Jdbc.update(c, "UPDATE _shuttle_rejected SET status = ? WHERE id = ?", RETRIED, id);
        log.info("rejected write {} ({} {}) written again: it is pushed on the next sync", id, w.table(), w.key());
        return find(c, dialect, id);
    }

    /**
     * Queues again, after the hub's schema changed, a write the hub refused for want of a table or column: the
     * row as this device holds it now is written again (its values then, which the database accepted, rather
     * than the refused write's, which may refer to rows deleted since or undo a later write of the row); a
     * row deleted here since needs nothing more (its delete is pushed by itself). A delete is retried as
     * {@link #retry} retries it. Under FIELD_LWW the row's columns keep their stamps: the refused write's
     * columns go under its own, of the moment the application wrote them, so they lose to a write of the
     * column made since on another device and win over the hub's rows written meanwhile without the column
     * (which stamp it as written by no one, {@code UnwrittenColumns}).
     */
    public static RejectedWrite requeue(Connection c, EngineContext engine, long id) throws SQLException {
        Dialect dialect = Dialects.of(engine.db());
        RejectedWrite w = find(c, dialect, id);
        SyncedTable t = engine.schema().table(w.table()).orElse(null);
        if (t == null || w.op() == Op.DELETE || w.status().equals(RETRIED)) {
            return retry(c, engine, id);
        }
        java.util.Map<String, Object> now = current(c, dialect, t, w.key());
        if (now != null) {
            SettlementWriter.write(c, dialect, t, w.key(), now);
        }
        Jdbc.update(c, "UPDATE _shuttle_rejected SET status = ? WHERE id = ?", RETRIED, id);
        log.info(
                "rejected write {} ({} {}) queued again{}",
                id,
                w.table(),
                w.key(),
                now == null ? ": the row is gone here since, nothing to send" : " as the row is here now");
        return find(c, dialect, id);
    }

    /** The row's replicated columns as they are here, or null when there is no such row. */
    private static java.util.Map<String, Object> current(Connection c, Dialect dialect, SyncedTable t, List<Object> key)
            throws SQLException {
        List<String> cols = t.replicatedColumns();
        String what = cols.stream().map(dialect::quote).collect(java.util.stream.Collectors.joining(", "));
        try (PreparedStatement ps = selectByKey(c, dialect, t, what, key);
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
            for (int i = 0; i < cols.size(); i++) {
                if (!t.key().contains(cols.get(i))) {
                    out.put(cols.get(i), rs.getObject(i + 1));
                }
            }
            return out;
        }
    }

    /** {@code SELECT what} from the table's row of {@code key}, prepared and bound. */
    private static PreparedStatement selectByKey(
            Connection c, Dialect dialect, SyncedTable t, String what, List<Object> key) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT ")
                .append(what)
                .append(" FROM ")
                .append(dialect.quote(t.name()))
                .append(" WHERE ");
        for (int i = 0; i < t.key().size(); i++) {
            sql.append(i == 0 ? "" : " AND ")
                    .append(dialect.quote(t.key().get(i)))
                    .append(" = ?");
        }
        PreparedStatement ps = c.prepareStatement(sql.toString());
        try {
            for (int i = 0; i < key.size(); i++) {
                Jdbc.set(
                        ps,
                        i + 1,
                        dialect.toDatabase(t.table().column(t.key().get(i)).orElseThrow(), key.get(i)));
            }
            return ps;
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }

    /**
     * The write's values of the columns its table has now: a write kept when the hub took its table again
     * at a new shape may name a column the table no longer has, which is left out (and said).
     */
    private static java.util.Map<String, Object> inShape(SyncedTable t, RejectedWrite w) {
        java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
        List<String> gone = new ArrayList<>();
        w.values().forEach((col, v) -> {
            if (t.replicatedColumns().contains(col)) {
                out.put(col, v);
            } else {
                gone.add(col);
            }
        });
        if (!gone.isEmpty()) {
            log.info(
                    "rejected write {} names columns {} that {} no longer has: written again without them",
                    w.id(),
                    gone,
                    t.name());
        }
        return out;
    }

    private static boolean exists(Connection c, Dialect dialect, SyncedTable t, List<Object> key) throws SQLException {
        try (PreparedStatement ps = selectByKey(c, dialect, t, "1", key);
                ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }

    private static RejectedWrite find(Connection c, Dialect dialect, long id) throws SQLException {
        return list(c, dialect, false).stream()
                .filter(w -> w.id() == id)
                .findFirst()
                .orElseThrow(() -> new ShuttleException(ErrorCode.NOT_FOUND, "no rejected write with id " + id));
    }

    private static ErrorCode code(String name) {
        try {
            return ErrorCode.valueOf(name);
        } catch (IllegalArgumentException e) {
            return ErrorCode.FORBIDDEN;
        }
    }
}
