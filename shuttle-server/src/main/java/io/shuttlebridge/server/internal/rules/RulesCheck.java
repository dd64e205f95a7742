package io.shuttlebridge.server.internal.rules;

import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.schema.Column;
import io.shuttlebridge.server.rules.Predicate;
import io.shuttlebridge.server.rules.SyncRules;
import io.shuttlebridge.server.rules.TableRule;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Checks rules against the hub they are for, before it serves them: every table synced, every
 * hidden column a value column of its table, every predicate valid SQL the hub's database accepts
 * as a condition (on PostgreSQL that includes being boolean). A mistake stops the hub with the
 * file and line.
 */
public final class RulesCheck {
    private RulesCheck() {}

    public static void validate(SyncRules rules, ShuttleDatabase db, SyncSchema schema) {
        for (TableRule r : rules.tables()) {
            SyncedTable t = schema.table(r.table())
                    .orElseThrow(() -> error(
                            rules,
                            r.line(),
                            "unknown table '" + r.table() + "': the hub syncs "
                                    + schema.tables().stream()
                                            .map(SyncedTable::name)
                                            .collect(Collectors.joining(", "))));
            for (String h : r.hiddenColumns()) {
                Column c = t.table()
                        .column(h)
                        .orElseThrow(() -> error(
                                rules, r.line(), "hidden column '" + h + "' is not a column of '" + r.table() + "'"));
                if (c.inPrimaryKey()) {
                    throw error(
                            rules,
                            r.line(),
                            "'" + h + "' is part of the key of '" + r.table()
                                    + "': a device cannot hold a row without its key, so it cannot be hidden");
                }
            }
            check(rules, db, r, r.read());
            check(rules, db, r, r.write());
        }
    }

    private static void check(SyncRules rules, ShuttleDatabase db, TableRule r, Predicate p) {
        if (!(p instanceof Predicate.Sql s)) {
            return;
        }
        Map<String, Object> nulls = new HashMap<>();
        s.claims().forEach(c -> nulls.put(c, null));
        var where = RuleSql.where(p, nulls);
        String sql = "SELECT 1 FROM " + RuleSql.quote(r.table()) + " WHERE " + where.sql() + " LIMIT 0";
        try {
            db.read(c -> probe(c, sql, where.args().toArray()));
        } catch (ShuttleException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw error(
                    rules,
                    s.line(),
                    "the rule of '" + r.table() + "' is not a condition the hub's database accepts: "
                            + firstLine(cause.getMessage()));
        }
    }

    private static Void probe(Connection c, String sql, Object[] args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Jdbc.bind(ps, args);
            ps.executeQuery().close();
        }
        return null;
    }

    private static String firstLine(String m) {
        if (m == null) {
            return "(no message)";
        }
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static ShuttleException error(SyncRules rules, int line, String message) {
        return RulesParser.mistake(rules.source(), line, message);
    }
}
