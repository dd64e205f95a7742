package io.shuttlebridge.server.internal.rules;

import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.feed.OldRows;
import io.shuttlebridge.core.internal.feed.RowCondition;
import io.shuttlebridge.core.internal.protocol.HubSchema;
import io.shuttlebridge.core.internal.schema.Column;
import io.shuttlebridge.core.internal.schema.ForeignKey;
import io.shuttlebridge.core.internal.schema.Table;
import io.shuttlebridge.core.sync.PullResult;
import io.shuttlebridge.core.sync.PushResult;
import io.shuttlebridge.server.rules.Predicate;
import io.shuttlebridge.server.rules.SyncRules;
import io.shuttlebridge.server.rules.TableRule;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The read half of sync rules for one subject, as far as it goes (DESIGN §9): the schema a device
 * sees (readable tables, visible columns), the condition on each table's rows its snapshot is read
 * from, and a condition on the feed the hub reads pull pages with (the database keeps only the rows
 * the subject may read now), hidden columns left out. Rows that enter or leave the subject's set
 * without changing themselves are for {@link ReadSetChanges} (move-in and move-out).
 */
public final class ReadFilter {
    private final SyncRules rules;
    private final SyncSchema schema;

    public ReadFilter(SyncRules rules, SyncSchema schema) {
        this.rules = rules;
        this.schema = schema;
    }

    /** Whether some table is not read whole: {@link #feedCondition} is not null. */
    public boolean filters() {
        return schema.tables().stream().anyMatch(t -> !(rules.table(t.name()).read() instanceof Predicate.All));
    }

    /** The hub's schema as the subject may see it. */
    public HubSchema schema(HubSchema full) {
        Set<String> readable = new HashSet<>();
        for (HubSchema.TableSpec t : full.tables()) {
            if (!(rules.table(t.name()).read() instanceof Predicate.None)) {
                readable.add(t.name());
            }
        }
        List<HubSchema.TableSpec> tables = new ArrayList<>();
        for (HubSchema.TableSpec t : full.tables()) {
            if (!readable.contains(t.name())) {
                continue;
            }
            Set<String> hidden = rules.table(t.name()).hiddenColumns();
            List<Column> columns = t.table().columns().stream()
                    .filter(c -> !hidden.contains(c.name()))
                    .toList();
            List<ForeignKey> fks = t.table().foreignKeys().stream()
                    .filter(fk -> readable.contains(fk.parentTable())
                            && fk.childColumns().stream().noneMatch(hidden::contains))
                    .toList();
            tables.add(new HubSchema.TableSpec(
                    new Table(t.name(), columns, fks),
                    t.policy(),
                    t.excluded(),
                    t.scopeColumn(),
                    t.generation(),
                    t.defaults(),
                    t.unfilled()));
        }
        return new HubSchema(full.hubNode(), full.dialect(), tables, full.version());
    }

    /**
     * The condition on feed entries ({@code f}) that keeps what the subject may read now, for the hub to
     * read pages with: null when it may read everything. A delete is kept when the deleted row, as its
     * old-row image has it ({@link OldRows}), was readable.
     */
    public NamedParameters.Bound feedCondition(Dialect dialect, Map<String, Object> claims) {
        List<String> parts = new ArrayList<>();
        List<Object> args = new ArrayList<>();
        for (SyncedTable t : schema.tables()) {
            Predicate read = rules.table(t.name()).read();
            switch (read) {
                case Predicate.All a -> {}
                case Predicate.None n -> parts.add("f.tbl <> " + t.id());
                case Predicate.Sql sql -> {
                    NamedParameters.Bound where = RuleSql.where(read, claims);
                    String table = RuleSql.quote(t.name());
                    // a lookup of each entry's row by its key, where the key allows it: the database checks the
                    // entries a pull reads, or builds the set of readable keys once when that costs less; else
                    // that set, built for every page
                    String row = dialect.capture().rowByFeedKey(t, "f", table);
                    // a delete when the row as it was deleted (its old-row image) was readable
                    parts.add("(f.tbl <> " + t.id() + " OR " + OldRows.readableDelete(dialect, t, "f", where.sql())
                            + " OR "
                            + (row != null
                                    ? "EXISTS (SELECT 1 FROM " + table + " WHERE " + row + " AND " + where.sql() + ")"
                                    : "f.pk IN (SELECT " + dialect.capture().keyExpression(t, table) + " FROM " + table
                                            + " WHERE " + where.sql() + ")")
                            + ")");
                    args.addAll(where.args());
                    args.addAll(where.args());
                }
            }
        }
        return parts.isEmpty() ? null : new NamedParameters.Bound(String.join(" AND ", parts), args);
    }

    /**
     * The tables the subject may read, each with the condition on the rows it may read now (over the
     * table's own columns), for the hub's snapshot to be read from those rows.
     */
    public Map<String, RowCondition> readableRows(Map<String, Object> claims) {
        Map<String, RowCondition> out = new LinkedHashMap<>();
        for (SyncedTable t : schema.tables()) {
            Predicate read = rules.table(t.name()).read();
            switch (read) {
                case Predicate.All a -> out.put(t.name(), RowCondition.ALL);
                case Predicate.None n -> {}
                case Predicate.Sql sql -> {
                    NamedParameters.Bound where = RuleSql.where(read, claims);
                    out.put(t.name(), new RowCondition(where.sql(), where.args()));
                }
            }
        }
        return out;
    }

    /** The change as every subject may see it: its table's hidden columns left out. */
    public Change withoutHiddenColumns(Change ch) {
        return withoutHidden(ch, rules.table(ch.table()).hiddenColumns());
    }

    /** A page read with {@link #feedCondition}, its hidden columns left out. */
    public PullResult withoutHiddenColumns(PullResult page) {
        List<Change> out = new ArrayList<>(page.changes().size());
        for (Change ch : page.changes()) {
            out.add(withoutHidden(ch, rules.table(ch.table()).hiddenColumns()));
        }
        return new PullResult(
                out,
                page.next(),
                page.more(),
                page.resyncRequired(),
                page.reconcile(),
                page.ticket(),
                page.schemaVersion(),
                page.movedIn());
    }

    /** The row as the subject may see it now, or null when it may not read it. */
    private Change readable(Connection c, Change row, Map<String, Object> claims) throws SQLException {
        TableRule rule = rules.table(row.table());
        if (rule.read() instanceof Predicate.None) {
            return null;
        }
        if (row.op() == Op.UPSERT
                && rule.read() instanceof Predicate.Sql
                && !Boolean.TRUE.equals(
                        RuleEvaluator.holds(c, schema.require(row.table()), rule.read(), row.key(), claims))) {
            return null;
        }
        return withoutHidden(row, rule.hiddenColumns());
    }

    /** A push answer whose refusals carry the hub's rows only as far as the subject may read them. */
    public PushResult refusals(Connection c, PushResult r, Map<String, Object> claims) throws SQLException {
        List<PushResult.Refusal> refused = new ArrayList<>();
        for (PushResult.Refusal x : r.refused()) {
            refused.add(x.withHubRow(x.hubRow() == null ? null : readable(c, x.hubRow(), claims)));
        }
        return new PushResult(
                r.applied(),
                r.duplicates(),
                r.superseded(),
                r.pending(),
                r.conflicts(),
                r.hubSeq(),
                r.rejected(),
                r.restamped(),
                refused);
    }

    private static Change withoutHidden(Change ch, Set<String> hidden) {
        if (hidden.isEmpty()
                || ch.values() == null
                || ch.values().keySet().stream().noneMatch(hidden::contains)) {
            return ch;
        }
        Map<String, Object> values = new LinkedHashMap<>(ch.values());
        values.keySet().removeAll(hidden);
        return new Change(
                ch.table(),
                ch.key(),
                ch.op(),
                values,
                ch.hlc(),
                ch.origin(),
                ch.version(),
                ch.base(),
                ch.columnStamps() == null ? Map.of() : withoutKeys(ch.columnStamps(), hidden));
    }

    private static <V> Map<String, V> withoutKeys(Map<String, V> m, Set<String> keys) {
        Map<String, V> out = new LinkedHashMap<>(m);
        out.keySet().removeAll(keys);
        return out;
    }
}
