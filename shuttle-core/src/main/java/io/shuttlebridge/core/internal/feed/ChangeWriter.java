package io.shuttlebridge.core.internal.feed;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.change.Stamp;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.dialect.CaptureSql;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.schema.Column;
import io.shuttlebridge.core.internal.schema.ForeignKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes remote changes into a database without capturing them as local writes (no echo): rows
 * are upserted or deleted with capture switched off, and the feed entry is written with the
 * change's own origin, hlc and version, so a hub relays it onward unchanged. The local clock
 * moves past every applied stamp. Policy decisions are made before; this class only writes.
 *
 * <p>Use {@link #begin} and {@link #end} around the writes, inside one transaction.
 */
public final class ChangeWriter {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeWriter.class);

    private final Dialect dialect;
    private final SyncSchema schema;
    private final Map<String, Integer> originIds = new HashMap<>();
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private Connection connection;

    private final String localNode;

    public ChangeWriter(Dialect dialect, SyncSchema schema) {
        this.dialect = dialect;
        this.schema = schema;
        this.localNode = schema.nodeUuid();
    }

    private final List<CaptureSql.AppliedEntry> applied = new ArrayList<>();
    private long token;

    /** Row writes queued on {@link #batched}, sent in one round trip by {@link #flush}. */
    private PreparedStatement batched;

    private int batchedRows;
    private static final int MAX_BATCHED_ROWS = 2000;
    /** Row upserts queued on the dialect's bulk statement instead, when it has one; sent by {@link #flush}. */
    private Dialect.BulkUpsert bulk;

    private final Map<String, Dialect.BulkUpsert> bulks = new HashMap<>();
    private static final int MAX_BULK_ROWS = 5000;

    public void begin(Connection c) throws SQLException {
        this.connection = c;
        this.batched = null;
        this.batchedRows = 0;
        this.bulk = null;
        this.applied.clear();
        this.token = dialect.capture().beginApply(c);
    }

    /** {@link #end(long)} without a clock floor: the local clock moves past the stamps applied. */
    public void end() throws SQLException {
        end(0);
    }

    /**
     * Sends the queued writes, writes the feed entries and switches capture back on, then releases
     * statements; call before commit. When sending fails nothing more is run (the transaction rolls
     * back, and on PostgreSQL any further statement would only report that it was aborted).
     *
     * @param clockFloor a stamp of the applying engine's clock: when there are entries, the database's
     *     clock moves at least to it with them, so that local writes made afterwards are stamped after it
     */
    public void end(long clockFloor) throws SQLException {
        boolean sent = false;
        try {
            flush();
            sent = true;
        } finally {
            if (sent) {
                release();
                dialect.capture().endApply(connection, token, applied, clockFloor);
            } else {
                discard();
            }
            applied.clear();
        }
    }

    private void release() throws SQLException {
        for (PreparedStatement ps : statements.values()) {
            ps.close();
        }
        statements.clear();
        for (Dialect.BulkUpsert b : bulks.values()) {
            if (b != null) {
                b.close();
            }
        }
        bulks.clear();
        completeBulks.clear();
    }

    /** Writes the row state (upsert or delete) and its feed entry. */
    public void write(Change change) throws SQLException {
        write(change, false);
    }

    /**
     * Writes the row state (upsert or delete) and its feed entry; {@code expectedNew}: this replica
     * had no entry for the row when the apply began and has not written it since (a hint that lets
     * the dialect insert rather than upsert; a wrong one costs time, not correctness).
     */
    public void write(Change change, boolean expectedNew) throws SQLException {
        SyncedTable t = schema.require(change.table());
        if (change.op() == Op.UPSERT) {
            upsertRow(t, change, expectedNew);
        } else {
            deleteRow(t, change.key());
        }
        writeFeed(t, change, change.version(), expectedNew);
        if (!change.columnStamps().isEmpty()) {
            flush(); // the row write's capture echo stamps its columns too: ours must come after it
            writeColumnStamps(t, change.key(), change.columnStamps());
        }
    }

    /** Writes only the row values (used when a merge keeps the feed entry as it is). */
    public void upsertRow(SyncedTable t, Change change) throws SQLException {
        upsertRow(t, change, false);
    }

    private void upsertRow(SyncedTable t, Change change, boolean expectedNew) throws SQLException {
        List<String> all = t.replicatedColumns();
        Map<String, Object> values = change.values();
        boolean complete = values.size() == all.size() && values.keySet().containsAll(all);
        List<String> cols =
                complete ? all : all.stream().filter(values::containsKey).toList();
        if (!complete && !cols.containsAll(t.key())) {
            throw new ShuttleException(
                    ErrorCode.MALFORMED_PAYLOAD, "upsert of \"" + t.name() + "\" lacks key columns " + t.key());
        }
        Column[] meta = columns(t);
        Object[] row = new Object[cols.size()];
        for (int k = 0; k < row.length; k++) {
            String col = cols.get(k);
            row[k] = dialect.toDatabase(
                    complete ? meta[k] : t.table().column(col).orElseThrow(), values.get(col));
        }
        String sqlKey = complete ? null : "upsert:" + t.id() + ":" + String.join("\u0000", cols);
        Dialect.BulkUpsert b = bulkUpsert(t, complete, sqlKey, cols);
        if (b != null) {
            if (bulk != b) {
                flush(); // keeps the order of writes, as for a batch
                bulk = b;
            }
            b.add(row, expectedNew);
            if (b.size() >= MAX_BULK_ROWS) {
                flush();
            }
            return;
        }
        // the dialect has no bulk statement for these columns: one statement run per row, in a batch
        String key = complete ? "upsert:" + t.id() : sqlKey;
        PreparedStatement ps = statements.get(key);
        if (ps == null) {
            String sql = "INSERT INTO " + dialect.quote(t.name()) + " ("
                    + cols.stream().map(dialect::quote).collect(Collectors.joining(", "))
                    + ") VALUES (" + cols.stream().map(c -> "?").collect(Collectors.joining(", ")) + ")"
                    + Dialect.onConflictUpdate(t.key(), cols, dialect::quote);
            ps = connection.prepareStatement(sql);
            statements.put(key, ps);
        }
        for (int k = 0; k < row.length; k++) {
            Jdbc.set(ps, k + 1, row[k]);
        }
        run(ps);
    }

    /** The dialect's bulk upsert for these columns of the table, or null when it has none (created once per apply). */
    private Dialect.BulkUpsert bulkUpsert(SyncedTable t, boolean complete, String sqlKey, List<String> cols)
            throws SQLException {
        if (complete && completeBulks.containsKey(t.id())) {
            return completeBulks.get(t.id());
        }
        String key = complete ? "upsert:" + t.id() : sqlKey;
        if (!bulks.containsKey(key)) {
            bulks.put(key, dialect.bulkUpsert(connection, t.table(), t.key(), cols));
        }
        Dialect.BulkUpsert b = bulks.get(key);
        if (complete) {
            completeBulks.put(t.id(), b);
        }
        return b;
    }

    /** The table's replicated columns' definitions, in {@code replicatedColumns()} order. */
    private Column[] columns(SyncedTable t) {
        return columnsByTable.computeIfAbsent(
                t.id(),
                id -> t.replicatedColumns().stream()
                        .map(name -> t.table().column(name).orElseThrow())
                        .toArray(Column[]::new));
    }

    private final Map<Integer, Column[]> columnsByTable = new HashMap<>();
    /** Bulk upserts of every replicated column, by table id (also in {@link #bulks}, which closes them; null: none). */
    private final Map<Integer, Dialect.BulkUpsert> completeBulks = new HashMap<>();

    public void deleteRow(SyncedTable t, List<Object> key) throws SQLException {
        if (dialect.refusesDeletingSelfReferences()) {
            clearSelfReferences(t, key);
        }
        PreparedStatement ps = statement(
                "delete:" + t.id(),
                () -> "DELETE FROM " + dialect.quote(t.name()) + " WHERE "
                        + t.key().stream().map(c -> dialect.quote(c) + " = ?").collect(Collectors.joining(" AND ")));
        bindKey(ps, 1, key);
        run(ps);
    }

    /**
     * Where the database cannot delete a row that refers to itself (InnoDB), sets the row's references to
     * itself to NULL first, in the same transaction as its delete (and, like it, not captured): the row
     * goes away all the same, and the references of other rows to it are checked as before (when they refuse
     * the delete, the change fails whole: its transaction or savepoint takes the update back too).
     */
    private void clearSelfReferences(SyncedTable t, List<Object> key) throws SQLException {
        List<ForeignKey> self = t.table().foreignKeys().stream()
                .filter(fk -> fk.parentTable().equalsIgnoreCase(t.name()))
                .toList();
        if (self.isEmpty()) {
            return;
        }
        PreparedStatement ps = statement("unref:" + t.id(), () -> {
            String keyMatch =
                    t.key().stream().map(c -> dialect.quote(c) + " = ?").collect(Collectors.joining(" AND "));
            List<String> set = new ArrayList<>();
            List<String> refersToItself = new ArrayList<>();
            for (ForeignKey fk : self) {
                List<String> same = new ArrayList<>();
                for (int i = 0; i < fk.childColumns().size(); i++) {
                    set.add(dialect.quote(fk.childColumns().get(i)) + " = NULL");
                    same.add(dialect.quote(fk.childColumns().get(i)) + " = "
                            + dialect.quote(fk.parentColumns().get(i)));
                }
                refersToItself.add("(" + String.join(" AND ", same) + ")");
            }
            // one statement for every self-referencing key; the row is deleted next in the same transaction
            return "UPDATE " + dialect.quote(t.name()) + " SET "
                    + String.join(", ", set.stream().distinct().toList()) + " WHERE " + keyMatch + " AND ("
                    + String.join(" OR ", refersToItself) + ")";
        });
        bindKey(ps, 1, key);
        run(ps);
    }

    /**
     * Sends the row writes queued so far. Where the dialect batches apply writes, consecutive
     * writes through one statement travel together; reading the user's tables in the same
     * transaction must be preceded by this ({@link #end} does it too).
     */
    public void flush() throws SQLException {
        if (bulk != null) {
            Dialect.BulkUpsert b = bulk;
            bulk = null;
            b.execute();
        }
        if (batched != null) {
            PreparedStatement ps = batched;
            batched = null;
            batchedRows = 0;
            ps.executeBatch();
        }
    }

    /**
     * Drops queued row writes and feed entries without sending anything and releases statements, in
     * place of {@link #end}: the apply failed and its transaction rolls back (capture switches back on
     * with it).
     */
    public void discard() {
        batched = null;
        batchedRows = 0;
        if (bulk != null) {
            bulk.clear();
            bulk = null;
        }
        applied.clear();
        try {
            release();
        } catch (SQLException e) {
            // closing is local clean-up: the failure being reported is the apply's
            LOG.debug("closing the statements of a discarded apply failed", e);
            statements.clear();
            bulks.clear();
            completeBulks.clear();
        }
    }

    private void run(PreparedStatement ps) throws SQLException {
        if (!dialect.batchesApplyWrites()) {
            ps.executeUpdate();
            return;
        }
        if (batched != ps) {
            flush(); // keeps the order of writes: a batch is a run of one statement
            batched = ps;
        }
        ps.addBatch();
        if (++batchedRows >= MAX_BATCHED_ROWS) {
            flush();
        }
    }

    /** Records the feed entry for a change with the given version (written by {@link #end}). */
    public void writeFeed(SyncedTable t, Change change, long version) throws SQLException {
        writeFeed(t, change, version, false);
    }

    private void writeFeed(SyncedTable t, Change change, long version, boolean expectedNew) throws SQLException {
        applied.add(new CaptureSql.AppliedEntry(
                t,
                change.key(),
                change.op().code(),
                change.hlc(),
                originId(change.origin()),
                version,
                change.base(), // the base the writer made it on travels with the change
                t.scopeColumn() == null ? null : change.values().get(t.scopeColumn()),
                via,
                expectedNew));
    }

    private Integer via;

    /** The peer the following changes came from (null: made here, e.g. a merge result). */
    public void via(String peerUuid) throws SQLException {
        this.via = peerUuid == null ? null : originId(peerUuid);
    }

    public void writeColumnStamps(SyncedTable t, List<Object> key, Map<String, Stamp> stamps) throws SQLException {
        PreparedStatement ps = statement(
                "colclock:" + t.id(),
                () -> "INSERT INTO _shuttle_colclock (tbl, pk, col, hlc, origin) VALUES ("
                        + t.id() + ", " + dialect.capture().keyParameterExpression(t) + ", ?, ?, ?)"
                        + " ON CONFLICT (tbl, pk, col) DO UPDATE SET hlc = excluded.hlc, origin = excluded.origin");
        for (var e : stamps.entrySet()) {
            int i = bindKey(ps, 1, key);
            ps.setString(i++, e.getKey());
            ps.setLong(i++, e.getValue().hlc());
            ps.setInt(i, originId(e.getValue().origin()));
            ps.executeUpdate();
        }
    }

    /**
     * Looks up the numbers of the nodes given (the senders and origins of the changes to write) in one
     * query, so that writing their changes asks for none of them; a node without one yet is registered
     * when its first change is written, as usual. Call after {@link #begin}.
     */
    public void knowNodes(Collection<String> uuids) throws SQLException {
        List<String> unknown = uuids.stream()
                .filter(u -> u != null && !originIds.containsKey(u))
                .toList();
        if (!unknown.isEmpty()) {
            originIds.putAll(Nodes.idsOf(connection, unknown));
        }
    }

    public int originId(String uuid) throws SQLException {
        Integer id = originIds.get(uuid);
        if (id == null) {
            id = Nodes.idOf(connection, uuid);
            originIds.put(uuid, id);
        }
        return id;
    }

    private static int bindKey(PreparedStatement ps, int from, List<Object> key) throws SQLException {
        for (Object part : key) {
            ps.setObject(from++, part);
        }
        return from;
    }

    private PreparedStatement statement(String cacheKey, Supplier<String> sql) throws SQLException {
        PreparedStatement ps = statements.get(cacheKey);
        if (ps == null) {
            ps = connection.prepareStatement(sql.get());
            statements.put(cacheKey, ps);
        }
        return ps;
    }
}
