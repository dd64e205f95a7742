package io.shuttlebridge.testkit.internal;

import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.internal.feed.OldRows;
import io.shuttlebridge.core.sync.PullResult;
import io.shuttlebridge.core.sync.PushResult;
import io.shuttlebridge.core.sync.RejectedWrite;
import io.shuttlebridge.core.sync.RowDiff;
import io.shuttlebridge.core.sync.RowSet;
import io.shuttlebridge.core.sync.Standing;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.core.sync.Transport;
import io.shuttlebridge.server.internal.rules.NamedParameters;
import io.shuttlebridge.server.internal.rules.RuleSql;
import io.shuttlebridge.server.rules.Predicate;
import io.shuttlebridge.server.rules.TableRule;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What must hold of a cluster under sync rules, checked by its own queries rather than the hub's
 * code paths: every row a device's push stored on the hub satisfies the write rule of the device's
 * subject (checked right after each sync); every row a device received (a change, a delete, a row of a
 * snapshot or a row comparison) is one its subject could read when sampled before or after one of its
 * syncs, the rows it may read then and the deleted rows it could read as they were deleted; every refusal a device heard of is recorded on it as a
 * rejected write; at the end each device holds exactly the rows and columns its subject may read
 * (nothing more, nothing less, hidden columns absent), devices of one subject agree, and nothing is
 * left unpushed or waiting for a parent.
 */
public final class RulesOracle {
    private static final int SHOWN = 10;

    private final RulesCluster k;
    private final List<String> violations = new ArrayList<>();
    private final List<Set<String>> heard = new ArrayList<>();
    /** Per device, the rows (table and key) received since its last check, and the rows its subject ever could read. */
    private final List<Set<String>> received = new ArrayList<>();

    private final List<Set<String>> everReadable = new ArrayList<>();
    private int receivedChecked;
    private int refusals;
    private int storedChecked;

    public RulesOracle(RulesCluster k) {
        this.k = k;
        for (int i = 0; i < k.devices().size(); i++) {
            heard.add(new HashSet<>());
            received.add(new HashSet<>());
            everReadable.add(new HashSet<>());
        }
    }

    /** {@code inner}, noting every refusal device {@code i} hears of. */
    public Transport hearing(int i, Transport inner) {
        return new ForwardingTransport(inner) {
            @Override
            public PullResult pull(String forNode, long since, int limit) {
                return received(i, inner.pull(forNode, since, limit));
            }

            @Override
            public PullResult pull(String forNode, long since, int limit, Standing standing) {
                return received(i, inner.pull(forNode, since, limit, standing));
            }

            @Override
            public PullResult snapshot(String forNode, long after, int limit) {
                return received(i, inner.snapshot(forNode, after, limit));
            }

            @Override
            public PullResult snapshot(String forNode, long after, int limit, Set<String> tables) {
                return received(i, inner.snapshot(forNode, after, limit, tables));
            }

            @Override
            public Optional<RowDiff> rowDiff(String forNode, String table, RowSet have, int limit) {
                Optional<RowDiff> d = inner.rowDiff(forNode, table, have, limit);
                d.ifPresent(x -> x.changes().forEach(ch -> note(i, ch)));
                return d;
            }

            @Override
            public Optional<PullResult> movedRows(String forNode, String table, long since, long after, int limit) {
                Optional<PullResult> r = inner.movedRows(forNode, table, since, after, limit);
                r.ifPresent(x -> {
                    movedPages.incrementAndGet();
                    received(i, x);
                });
                return r;
            }

            @Override
            public PushResult push(String fromNode, List<Change> changes) {
                PushResult r = inner.push(fromNode, changes);
                for (PushResult.Refusal x : r.refused()) {
                    Change ch = changes.get(x.index());
                    heard.get(i).add(refusal(ch.table(), ch.key(), ch.hlc()));
                    refusals++;
                }
                return r;
            }
        };
    }

    private PullResult received(int i, PullResult r) {
        r.changes().forEach(ch -> note(i, ch));
        return r;
    }

    private synchronized void note(int i, Change ch) {
        received.get(i).add(row(ch.table(), ch.key()));
    }

    private static String row(String table, List<Object> key) {
        return table + " " + key.stream().map(RowValues::normalize).toList();
    }

    /**
     * Notes the rows device {@code i}'s subject may read now, and the deleted rows it could read as they
     * were deleted (their old-row images on the hub): to call before each of its syncs.
     */
    public void sampleReadable(int i) {
        var db = k.hub().database();
        Dialect dialect = Dialects.of(db);
        SyncSchema schema = db.read(c -> SyncSchema.load(c, dialect));
        Map<String, Object> claims = k.claims(i);
        Set<String> into = everReadable.get(i);
        db.read(c -> {
            for (SyncedTable t : schema.tables()) {
                Predicate read = k.rules().table(t.name()).read();
                if (!(read instanceof Predicate.Sql)) {
                    continue;
                }
                NamedParameters.Bound w = RuleSql.where(read, claims);
                String table = SqlText.quote(t.name());
                String keys =
                        String.join(", ", t.key().stream().map(SqlText::quote).toList());
                readKeys(c, "SELECT " + keys + " FROM " + table + " WHERE " + w.sql(), w.args(), rs -> {
                    List<Object> key = new ArrayList<>();
                    for (int col = 1; col <= t.key().size(); col++) {
                        key.add(Jdbc.readValue(rs, col));
                    }
                    into.add(row(t.name(), key));
                });
                if (OldRows.columns(c, t) != null) {
                    readKeys(
                            c,
                            "SELECT " + OldRows.KEY + " FROM (SELECT * FROM " + OldRows.table(t) + ") " + table
                                    + " WHERE " + w.sql(),
                            w.args(),
                            rs -> into.add(row(t.name(), dialect.capture().decodeKey(t, Jdbc.readValue(rs, 1)))));
                }
            }
            return null;
        });
    }

    private interface RowReader {
        void read(ResultSet rs) throws java.sql.SQLException;
    }

    private static void readKeys(java.sql.Connection c, String sql, List<Object> args, RowReader each)
            throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int a = 0; a < args.size(); a++) {
                Jdbc.set(ps, a + 1, args.get(a));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    each.read(rs);
                }
            }
        }
    }

    /**
     * Every row device {@code i} received (as a change, a delete, a snapshot's or a row comparison's row)
     * since the last check is one its subject could read at some point sampled, before or after one of
     * its syncs ({@link #sampleReadable}): no device learns the key of a row its subject never could read.
     */
    public void checkReceived(int i) {
        sampleReadable(i);
        Set<String> got;
        synchronized (this) {
            got = new HashSet<>(received.get(i));
            received.get(i).clear();
        }
        for (String r : got) {
            String table = r.substring(0, r.indexOf(' '));
            Predicate read = k.rules().table(table).read();
            receivedChecked++;
            if (read instanceof Predicate.All || everReadable.get(i).contains(r)) {
                continue;
            }
            if (violations.size() < SHOWN) {
                violations.add(k.device(i).name() + " (" + k.subject(i) + ") received " + r
                        + ", a row its subject never could read");
            }
        }
    }

    /** How many rows devices received were checked against what their subjects could read. */
    public int receivedChecked() {
        return receivedChecked;
    }

    /** How many pages of rows that moved into a device's set the hub answered (move-in without a reconcile). */
    public int movedPages() {
        return movedPages.get();
    }

    private final java.util.concurrent.atomic.AtomicInteger movedPages =
            new java.util.concurrent.atomic.AtomicInteger();

    private static String refusal(String table, List<Object> key, long hlc) {
        List<Object> normalized = key.stream().map(RowValues::normalize).toList();
        return table + " " + normalized + " @" + hlc;
    }

    /** The hub's feed position, to call before a sync of which {@link #checkStored} checks the writes. */
    public long hubPosition() {
        return k.hub()
                .database()
                .read(c ->
                        Jdbc.queryLong(c, "SELECT max(seq) FROM _shuttle_feed").orElse(0L));
    }

    /** Every upsert device {@code i} stored on the hub after {@code before} satisfies its subject's write rule now. */
    public void checkStored(int i, long before) {
        Map<String, Object> claims = k.claims(i);
        String node = k.device(i).nodeUuid();
        var db = k.hub().database();
        Dialect dialect = Dialects.of(db);
        SyncSchema schema = db.read(c -> SyncSchema.load(c, dialect));
        for (SyncedTable t : schema.tables()) {
            Predicate write = k.rules().table(t.name()).write();
            if (write instanceof Predicate.All) {
                continue;
            }
            NamedParameters.Bound w = RuleSql.where(write, claims);
            String table = SqlText.quote(t.name());
            String sql = "SELECT count(*) FROM _shuttle_feed f WHERE f.seq > ? AND f.op = 1 AND f.tbl = ?"
                    + " AND f.via = (SELECT id FROM _shuttle_nodes WHERE uuid = ?)"
                    + " AND f.pk NOT IN (SELECT " + dialect.capture().keyExpression(t, table) + " FROM " + table
                    + " WHERE " + w.sql() + ")";
            long outside = db.read(c -> {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setLong(1, before);
                    ps.setInt(2, t.id());
                    ps.setString(3, node);
                    for (int a = 0; a < w.args().size(); a++) {
                        Jdbc.set(ps, a + 4, w.args().get(a));
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getLong(1);
                    }
                }
            });
            storedChecked++;
            if (outside > 0 && violations.size() < SHOWN) {
                violations.add(k.device(i).name() + " (" + k.subject(i) + ") stored " + outside + " row(s) of "
                        + t.name() + " outside its write rule");
            }
        }
    }

    /** Writes stored outside their subject's write rule, and refusals a device heard of but does not show. */
    public List<String> lost() {
        List<String> out = new ArrayList<>(violations);
        for (int i = 0; i < k.devices().size(); i++) {
            Set<String> shown = new HashSet<>();
            for (RejectedWrite w : k.device(i).engine().rejectedWrites(false)) {
                shown.add(refusal(w.table(), w.key(), w.hlc()));
            }
            for (String r : heard.get(i)) {
                if (!shown.contains(r) && out.size() < SHOWN) {
                    out.add(k.device(i).name() + " heard the hub refuse " + r + " but shows no rejected write for it");
                }
            }
        }
        return out;
    }

    /** Refusals devices heard of. */
    public int refusals() {
        return refusals;
    }

    /** Each device holds exactly what its subject may read; devices of one subject agree; nothing is left over. */
    public List<String> differences() {
        List<String> out = new ArrayList<>();
        var hubDb = k.hub().database();
        SyncSchema hub = hubDb.read(c -> SyncSchema.load(c, Dialects.of(hubDb)));
        Map<String, Map<String, TreeMap<List<Object>, Map<String, Object>>>> bySubject = new LinkedHashMap<>();
        for (int i = 0; i < k.devices().size(); i++) {
            Node device = k.device(i);
            var db = device.database();
            SyncSchema mine = db.read(c -> SyncSchema.load(c, Dialects.of(db)));
            Map<String, TreeMap<List<Object>, Map<String, Object>>> held = new LinkedHashMap<>();
            for (SyncedTable t : hub.tables()) {
                TableRule rule = k.rules().table(t.name());
                boolean here = mine.table(t.name()).isPresent();
                if (rule.read() instanceof Predicate.None) {
                    if (here) {
                        out.add(t.name() + ": on " + device.name() + " although " + k.subject(i) + " may not read it");
                    }
                    continue;
                }
                if (!here) {
                    out.add(t.name() + ": " + k.subject(i) + " may read it but " + device.name() + " lacks it");
                    continue;
                }
                List<String> visible = t.replicatedColumns().stream()
                        .filter(col -> !rule.hiddenColumns().contains(col))
                        .toList();
                List<String> columns = mine.require(t.name()).replicatedColumns();
                if (!new HashSet<>(columns).equals(new HashSet<>(visible))) {
                    out.add(t.name() + ": " + device.name() + " has columns " + columns + ", " + k.subject(i)
                            + " may see " + visible);
                    continue;
                }
                NamedParameters.Bound w = RuleSql.where(rule.read(), k.claims(i));
                var expected = decimals(TableRows.read(hubDb, t, visible, w.sql(), w.args()));
                var actual = decimals(TableRows.read(db, t, visible, null, List.of()));
                ConvergenceCheck.compareRows(
                        t, "hub (as " + k.subject(i) + " may read it)", expected, device.name(), actual, out);
                held.put(t.name(), actual);
            }
            var first = bySubject.putIfAbsent(k.subject(i), held);
            if (first != null && !first.equals(held)) {
                out.add(device.name() + " holds other rows than the first device of " + k.subject(i));
            }
            SyncEngine engine = device.engine();
            long pending = engine.pendingChanges(hub.nodeUuid());
            if (pending > 0) {
                out.add(device.name() + ": " + pending + " change(s) not pushed");
            }
            long waiting = engine.waitingChanges();
            if (waiting > 0) {
                out.add(device.name() + ": " + waiting + " received change(s) waiting for a parent row");
            }
        }
        return out.subList(0, Math.min(out.size(), SHOWN));
    }

    /**
     * The rows with every text that is a plain decimal number read as that number: a device cloned from
     * a PostgreSQL hub keeps a NUMERIC(p,s) as exact text ('48.50'), the hub reads it as a decimal (48.5).
     * Applied to both sides alike, so a text column holding such text on both still compares equal.
     */
    private static TreeMap<List<Object>, Map<String, Object>> decimals(
            TreeMap<List<Object>, Map<String, Object>> rows) {
        for (Map<String, Object> row : rows.values()) {
            row.replaceAll((col, v) ->
                    v instanceof String text && DECIMAL.matcher(text).matches()
                            ? RowValues.normalize(new java.math.BigDecimal(text))
                            : v);
        }
        return rows;
    }

    private static final java.util.regex.Pattern DECIMAL = java.util.regex.Pattern.compile("-?[0-9]+(\\.[0-9]+)?");

    /** How many (device sync, table) write checks ran. */
    public int storedChecked() {
        return storedChecked;
    }
}
