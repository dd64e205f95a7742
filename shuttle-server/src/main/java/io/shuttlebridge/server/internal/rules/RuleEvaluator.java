package io.shuttlebridge.server.internal.rules;

import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.server.rules.Predicate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Asks the hub's database what a subject's rules allow: rows it reads, and whether a stored row is writable. */
public final class RuleEvaluator {
    private RuleEvaluator() {}

    /** How many rows of {@code table} satisfy {@code p} for these claims. */
    public static long count(Connection c, SyncedTable table, Predicate p, Map<String, Object> claims)
            throws SQLException {
        NamedParameters.Bound where = RuleSql.where(p, claims);
        return Jdbc.queryLong(
                        c,
                        "SELECT count(*) FROM " + RuleSql.quote(table.name()) + " WHERE " + where.sql(),
                        where.args().toArray())
                .orElse(0L);
    }

    /**
     * Whether the stored row with {@code key} satisfies {@code p}: null when the table holds no such
     * row.
     */
    public static Boolean holds(
            Connection c, SyncedTable table, Predicate p, List<Object> key, Map<String, Object> claims)
            throws SQLException {
        NamedParameters.Bound where = RuleSql.where(p, claims);
        StringBuilder sql = new StringBuilder("SELECT CASE WHEN ")
                .append(where.sql())
                .append(" THEN 1 ELSE 0 END FROM ")
                .append(RuleSql.quote(table.name()))
                .append(" WHERE ");
        List<Object> args = new ArrayList<>(where.args());
        List<String> pk = table.key();
        for (int i = 0; i < pk.size(); i++) {
            sql.append(i == 0 ? "" : " AND ").append(RuleSql.quote(pk.get(i))).append(" = ?");
            args.add(key.get(i));
        }
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            Jdbc.bind(ps, args.toArray());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) == 1 : null;
            }
        }
    }
}
