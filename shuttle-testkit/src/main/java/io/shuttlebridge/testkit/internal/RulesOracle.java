package io.shuttlebridge.testkit.internal;

import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.sync.PushResult;
import io.shuttlebridge.core.sync.RejectedWrite;
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
import java.util.Set;
import java.util.TreeMap;

/**
 * What must hold of a cluster under sync rules, checked by its own queries rather than the hub's
 * code paths: every row a device's push stored on the hub satisfies the write rule of the device's
 * subject (checked right after each sync); every refusal a device heard of is recorded on it as a
 * rejected write; at the end each device holds exactly the rows and columns its subject may read
 * (nothing more, nothing less, hidden columns absent), devices of one subject agree, and nothing is
 * left unpushed or waiting for a parent.
 */
public final class RulesOracle {
    private static final int SHOWN = 10;

    private final RulesCluster k;
    private final List<String> violations = new ArrayList<>();
    private final List<Set<String>> heard = new ArrayList<>();
    private int refusals;
    private int storedChecked;

    public RulesOracle(RulesCluster k) {
        this.k = k;
        for (int i = 0; i < k.devices().size(); i++) {
            heard.add(new HashSet<>());
        }
    }

    /** {@code inner}, noting every refusal device {@code i} hears of. */
    public Transport hearing(int i, Transport inner) {
        return new ForwardingTransport(inner) {
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
