package io.shuttlebridge.core.internal.dialect.sqlite;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.dialect.CaptureTriggers;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.dialect.FeedKeys;
import io.shuttlebridge.core.internal.dialect.FeedSql;
import io.shuttlebridge.core.internal.dialect.Identifiers;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Capture triggers on SQLite in plain SQL (no user functions), so writes from any program, the
 * {@code sqlite3} shell included, are captured. A trigger does the least it can on the write path:
 * it appends one row to the capture log with the wall-clock time of the write ({@link SqliteFold}
 * does the rest). Updates that change no replicated column do not fire (dirty-field rule). FIELD_LWW
 * tables also record which columns changed.
 */
final class SqliteTriggers implements CaptureTriggers {
    /**
     * {@code _shuttle_applying} holds a row only inside an apply transaction: the triggers do not log while it does (SQLite has
     * one writer, so no other connection's write can happen meanwhile, and the row is never committed).
     */
    private static final String NOT_APPLYING = "NOT EXISTS (SELECT 1 FROM _shuttle_applying)";

    private static final List<String> KINDS = List.of("ins", "upd", "key", "del");

    private final Dialect dialect;
    private final FeedKeys keys;

    SqliteTriggers(Dialect dialect, FeedKeys keys) {
        this.dialect = dialect;
        this.keys = keys;
    }

    @Override
    public List<String> installTriggers(SyncedTable t) {
        String table = dialect.quote(t.name());
        List<String> replicated = t.replicatedColumns();
        String upsert = logWrite(t, "NEW", Op.UPSERT);
        String delete = logWrite(t, "OLD", Op.DELETE);
        List<String> sql = new ArrayList<>();
        for (String kind : KINDS) {
            sql.add("DROP TRIGGER IF EXISTS " + triggerName(t, kind));
        }
        sql.add("""
                CREATE TRIGGER %s AFTER INSERT ON %s WHEN %s
                BEGIN
                  %s
                  %s
                END""".formatted(triggerName(t, "ins"), table, NOT_APPLYING, upsert, columnClocks(t, replicated, false)));
        sql.add("""
                CREATE TRIGGER %s AFTER UPDATE OF %s ON %s WHEN (%s) AND %s
                BEGIN
                  %s
                  %s
                END""".formatted(
                        triggerName(t, "upd"),
                        columnList(replicated),
                        table,
                        changed(replicated),
                        NOT_APPLYING,
                        upsert,
                        columnClocks(t, replicated, true)));
        sql.add("""
                CREATE TRIGGER %s AFTER UPDATE OF %s ON %s WHEN (%s) AND %s
                BEGIN
                  %s
                END""".formatted(
                        triggerName(t, "key"), columnList(t.key()), table, changed(t.key()), NOT_APPLYING, delete));
        sql.add("""
                CREATE TRIGGER %s AFTER DELETE ON %s WHEN %s
                BEGIN
                  %s
                END""".formatted(triggerName(t, "del"), table, NOT_APPLYING, delete));
        return sql;
    }

    private String logWrite(SyncedTable t, String row, Op op) {
        String scope = t.scopeColumn() == null ? "NULL" : row + "." + dialect.quote(t.scopeColumn());
        return "INSERT INTO _shuttle_log (tbl, pk, op, hlc, scope) VALUES (" + t.id() + ", "
                + keys.keyExpression(t, row) + ", " + op.code() + ", " + SqliteClock.WALL_STAMP + ", " + scope + ");";
    }

    /** Per-column stamps for FIELD_LWW tables: every written column (insert) or every changed one (update). */
    private String columnClocks(SyncedTable t, List<String> columns, boolean onlyChanged) {
        if (t.policy() != ConflictPolicy.FIELD_LWW) {
            return "";
        }
        List<String> cols = columns.stream().filter(c -> !t.key().contains(c)).toList();
        if (cols.isEmpty()) {
            return "";
        }
        String choices = cols.stream()
                .map(c -> "SELECT " + Identifiers.literal(c) + " AS col"
                        + (onlyChanged ? " WHERE " + changed(List.of(c)) : ""))
                .collect(Collectors.joining(" UNION ALL "));
        // the stamp's hlc holds the seq of the write just logged until the fold stamps it
        return """
                %s SELECT %d, %s, c.col, (SELECT max(seq) FROM _shuttle_log), %d
                    FROM (%s) c WHERE true %s;""".formatted(
                        FeedSql.INSERT_COLUMN_STAMPS,
                        t.id(),
                        keys.keyExpression(t, "NEW"),
                        FeedSql.PENDING_ORIGIN,
                        choices,
                        FeedSql.COLUMN_STAMP_REPLACES);
    }

    /** Whether any of the columns changed. */
    private String changed(List<String> columns) {
        return columns.stream()
                .map(c -> "OLD." + dialect.quote(c) + " IS NOT NEW." + dialect.quote(c))
                .collect(Collectors.joining(" OR "));
    }

    private String columnList(List<String> columns) {
        return columns.stream().map(dialect::quote).collect(Collectors.joining(", "));
    }

    private static String triggerName(SyncedTable t, String kind) {
        return "\"_shuttle_t" + t.id() + "_" + kind + "\"";
    }
}
