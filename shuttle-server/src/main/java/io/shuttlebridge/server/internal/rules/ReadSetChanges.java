package io.shuttlebridge.server.internal.rules;

import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.sync.PullResult;
import io.shuttlebridge.server.rules.Predicate;
import io.shuttlebridge.server.rules.SyncRules;
import io.shuttlebridge.server.rules.TableRule;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Tells a pulling device which tables' readable rows may have changed in ways its pull page does not
 * show (DESIGN §9, move-in and move-out), so that it reconciles them:
 *
 * <ul>
 *   <li>a table its rule's predicate reads (a membership table in a sub-select) changed: rows may have
 *       entered or left the device's set without changing themselves;
 *   <li>rows of the table itself changed and the page left some out: one may have moved out of the
 *       set (the hub does not know which rows a device holds, so it cannot say which);
 *   <li>the claims the rules use (or the rules themselves) differ from those of the device's last
 *       read.
 * </ul>
 *
 * Only tables whose read rule is a SQL predicate are ever named. Internal.
 */
public final class ReadSetChanges {
    private static final String KEY = "read_set:";

    private final SyncRules rules;
    private final SyncSchema schema;
    /** For each table with a SQL read rule, the ids of the tables its predicate names. */
    private final Map<String, Set<Integer>> reads = new LinkedHashMap<>();

    public ReadSetChanges(SyncRules rules, SyncSchema schema) {
        this.rules = rules;
        this.schema = schema;
        for (SyncedTable t : schema.tables()) {
            if (rules.table(t.name()).read() instanceof Predicate.Sql sql) {
                Set<Integer> named = new TreeSet<>();
                for (SyncedTable other : schema.tables()) {
                    if (names(sql.text(), other.name())) {
                        named.add(other.id());
                    }
                }
                reads.put(t.name(), named);
            }
        }
    }

    /** Whether {@code sql} names {@code table} (as a word, quoted or not): a superset is fine. */
    private static boolean names(String sql, String table) {
        return Pattern.compile(
                        "(?<![A-Za-z0-9_$])\"?" + Pattern.quote(table) + "\"?(?![A-Za-z0-9_$])",
                        Pattern.CASE_INSENSITIVE)
                .matcher(sql)
                .find();
    }

    /**
     * The tables {@code node} should reconcile after a pull page read from {@code since}: see the class
     * comment. Notes the claims it read with.
     */
    public List<String> after(Connection c, String node, long since, PullResult page, Map<String, Object> claims)
            throws SQLException {
        if (reads.isEmpty() || page.resyncRequired()) {
            return List.of();
        }
        if (!fingerprint(claims).equals(remembered(c, node))) {
            remember(c, node, claims);
            return List.copyOf(reads.keySet());
        }
        long via = Jdbc.queryLong(c, "SELECT id FROM _shuttle_nodes WHERE uuid = ?", node)
                .orElse(-1L);
        Map<Integer, long[]> changed = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT f.tbl, count(*), sum(CASE WHEN f.op = 1 AND (f.via IS NULL OR f.via <> ?) THEN 1 ELSE 0 END)"
                        + " FROM _shuttle_feed f WHERE f.seq > ? AND f.seq <= ? GROUP BY f.tbl")) {
            ps.setLong(1, via);
            ps.setLong(2, since);
            ps.setLong(3, page.next());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    changed.put(rs.getInt(1), new long[] {rs.getLong(2), rs.getLong(3)});
                }
            }
        }
        if (changed.isEmpty()) {
            return List.of();
        }
        Map<String, Integer> delivered = new HashMap<>();
        for (Change ch : page.changes()) {
            if (ch.op() == Op.UPSERT) {
                delivered.merge(ch.table(), 1, Integer::sum);
            }
        }
        List<String> out = new ArrayList<>();
        for (var e : reads.entrySet()) {
            SyncedTable t = schema.require(e.getKey());
            long[] own = changed.get(t.id());
            boolean leftOut = own != null && own[1] > delivered.getOrDefault(t.name(), 0);
            if (leftOut || e.getValue().stream().anyMatch(changed::containsKey)) {
                out.add(t.name());
            }
        }
        return out;
    }

    /** Notes the claims a device reads with (when it takes a snapshot: it then holds what they allow). */
    public void remember(Connection c, String node, Map<String, Object> claims) throws SQLException {
        Jdbc.update(c, "DELETE FROM _shuttle_meta WHERE key = ?", KEY + node);
        Jdbc.update(c, "INSERT INTO _shuttle_meta (key, value) VALUES (?, ?)", KEY + node, fingerprint(claims));
    }

    private static String remembered(Connection c, String node) throws SQLException {
        return Jdbc.queryString(c, "SELECT value FROM _shuttle_meta WHERE key = ?", KEY + node)
                .orElse("");
    }

    /** What the device's set depends on besides the hub's rows: the read rules and the claims they use. */
    private String fingerprint(Map<String, Object> claims) {
        StringBuilder s = new StringBuilder();
        for (String table : reads.keySet()) {
            TableRule r = rules.table(table);
            s.append(table).append('\u0000').append(r.read()).append('\u0000');
        }
        for (String claim : rules.claims()) {
            s.append(claim).append('=').append(claims.get(claim)).append('\u0000');
        }
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(s.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
