package io.shuttlebridge.server.internal.rules;

import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.feed.OldRows;
import io.shuttlebridge.core.internal.feed.RowCondition;
import io.shuttlebridge.core.internal.sync.apply.PendingStore;
import io.shuttlebridge.core.sync.WriteGuard;
import io.shuttlebridge.server.auth.Subject;
import io.shuttlebridge.server.rules.Predicate;
import io.shuttlebridge.server.rules.SyncRules;
import io.shuttlebridge.server.rules.TableRule;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The write half of sync rules for one subject (DESIGN §9): an upsert is allowed when the row as
 * stored satisfies {@code write} (if the hub holds it) and the row as written does too; a delete
 * when the stored row does; a change carrying a hidden column never; nor an upsert the hub would
 * hold until a row it refers to arrives (it would be stored later, unchecked).
 */
public final class RulesWriteGuard implements WriteGuard {
    private final SyncRules rules;
    private final SyncSchema schema;
    private final Map<String, Object> claims;
    private final Dialect dialect;

    public RulesWriteGuard(SyncRules rules, SyncSchema schema, Subject subject, Dialect dialect) {
        this.rules = rules;
        this.schema = schema;
        this.claims = subject.claims();
        this.dialect = dialect;
    }

    @Override
    public Map<Integer, String> before(Connection c, List<Change> changes) throws SQLException {
        Map<Integer, String> refused = new HashMap<>();
        for (int i = 0; i < changes.size(); i++) {
            Change ch = changes.get(i);
            TableRule rule = rules.table(ch.table());
            if (rule.write() instanceof Predicate.None) {
                refused.put(i, "the rules let no one write '" + ch.table() + "'");
                continue;
            }
            String hidden = hiddenColumn(rule, ch);
            if (hidden != null) {
                refused.put(i, "column '" + hidden + "' of '" + ch.table() + "' is hidden: it is never accepted");
                continue;
            }
            Boolean stored = holds(c, rule, ch);
            if (Boolean.FALSE.equals(stored)) {
                refused.put(
                        i,
                        "the row of '" + ch.table() + "' with key " + ch.key()
                                + " as the hub holds it is outside your write rule");
            }
        }
        return refused;
    }

    @Override
    public Map<Integer, String> after(Connection c, List<Change> changes) throws SQLException {
        Map<Integer, String> refused = new HashMap<>();
        for (int i = 0; i < changes.size(); i++) {
            Change ch = changes.get(i);
            if (ch.op() == Op.DELETE) {
                continue;
            }
            TableRule rule = rules.table(ch.table());
            Boolean stored = holds(c, rule, ch);
            if (Boolean.FALSE.equals(stored)) {
                refused.put(
                        i,
                        "the row of '" + ch.table() + "' with key " + ch.key()
                                + " as it would be stored is outside your write rule");
            } else if (stored == null
                    && !(rule.write() instanceof Predicate.All)
                    && PendingStore.held(c, ch.table(), ch.key()) != null) {
                // held until a row it refers to arrives: unchecked then, so it is refused now
                refused.put(
                        i,
                        "the row of '" + ch.table() + "' with key " + ch.key()
                                + " refers to a row the hub does not hold, so it cannot be checked against your write rule");
            } else if (stored == null && deletedOutOfSight(c, rule, ch)) {
                // older than a delete the subject may not read: no pull would tell the device, so the answer does
                refused.put(
                        i,
                        "the row of '" + ch.table() + "' with key " + ch.key()
                                + " was deleted on the hub by a later change outside what you may read");
            }
        }
        return refused;
    }

    /**
     * Whether the hub holds a delete of the change's row (so the change was older and not taken) that the
     * subject may not read, as its old-row image has the row ({@link OldRows}).
     */
    private boolean deletedOutOfSight(Connection c, TableRule rule, Change ch) throws SQLException {
        if (!(rule.read() instanceof Predicate.Sql)) {
            return false;
        }
        SyncedTable t = schema.table(ch.table()).orElse(null);
        if (t == null) {
            return false;
        }
        Optional<Long> seq = Jdbc.queryLong(
                c,
                "SELECT seq FROM _shuttle_feed WHERE tbl = " + t.id() + " AND op = " + Op.DELETE.code() + " AND pk = "
                        + dialect.capture().keyParameterExpression(t),
                ch.key().toArray());
        if (seq.isEmpty()) {
            return false;
        }
        NamedParameters.Bound read = RuleSql.where(rule.read(), claims);
        return OldRows.readable(c, dialect, t, new RowCondition(read.sql(), read.args()), List.of(seq.get()))
                .isEmpty();
    }

    /** Whether the stored row satisfies the write rule; null when there is none (or nothing to check). */
    private Boolean holds(Connection c, TableRule rule, Change ch) throws SQLException {
        if (rule.write() instanceof Predicate.All) {
            return null;
        }
        SyncedTable t = schema.table(ch.table()).orElse(null);
        if (t == null) {
            return null; // the engine refuses an unknown table itself
        }
        return RuleEvaluator.holds(c, t, rule.write(), ch.key(), claims);
    }

    private static String hiddenColumn(TableRule rule, Change ch) {
        if (ch.values() == null) {
            return null;
        }
        for (String h : rule.hiddenColumns()) {
            if (ch.values().containsKey(h)) {
                return h;
            }
        }
        return null;
    }
}
