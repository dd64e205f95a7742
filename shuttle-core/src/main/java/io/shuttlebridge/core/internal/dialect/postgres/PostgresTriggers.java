package io.shuttlebridge.core.internal.dialect.postgres;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.dialect.CaptureTriggers;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.dialect.FeedSql;
import io.shuttlebridge.core.internal.dialect.Identifiers;
import io.shuttlebridge.core.internal.dialect.LostColumns;
import io.shuttlebridge.core.internal.schema.DeclaredTypes;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Capture triggers on PostgreSQL. Each synced table gets one row trigger running a generated
 * PL/pgSQL function, so writes from {@code psql} or any other client are captured. The trigger
 * appends to the capture log {@code _shuttle_log} with the wall-clock time of the write; an UPDATE
 * that changes no replicated column ({@code IS DISTINCT FROM}) logs nothing. While the engine
 * applies remote changes ({@code shuttle.applying} is {@code on}, see {@link PostgresApply}) the
 * triggers log nothing. A write to a table that lost its key or scope column since it was captured (dropped
 * or renamed with plain SQL) is refused with a message naming the column and what to do
 * ({@link LostColumns}); a lost value column reads as NULL and the write goes on.
 */
final class PostgresTriggers implements CaptureTriggers {
    private final Dialect dialect;
    private final PostgresKeys keys;

    PostgresTriggers(Dialect dialect, PostgresKeys keys) {
        this.dialect = dialect;
        this.keys = keys;
    }

    @Override
    public List<String> installTriggers(SyncedTable t) {
        String table = dialect.quote(t.name());
        String body = triggerBody(t);
        String tag = "$shuttle$";
        for (int i = 0; body.contains(tag); i++) {
            tag = "$shuttle" + i + "$";
        }
        return List.of(
                "DROP TRIGGER IF EXISTS \"_shuttle_capture\" ON " + table,
                "DROP FUNCTION IF EXISTS " + functionName(t) + "()",
                "CREATE OR REPLACE FUNCTION " + functionName(t)
                        + "() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS " + tag + "\n" + body
                        + tag,
                // the WHEN clause keeps applied writes from queuing a trigger call at all (the function checks again)
                """
                CREATE TRIGGER "_shuttle_capture" AFTER INSERT OR UPDATE OR DELETE ON %s FOR EACH ROW
                  WHEN (current_setting('shuttle.applying', true) IS DISTINCT FROM 'on') EXECUTE FUNCTION %s()""".formatted(table, functionName(t)));
    }

    private String triggerBody(SyncedTable t) {
        String keyChanged = t.key().stream().map(c -> changed(t, c)).collect(Collectors.joining(" OR "));
        String anyChanged = t.valueColumns().isEmpty()
                ? keyChanged
                : t.valueColumns().stream().map(PostgresTriggers::changedValue).collect(Collectors.joining(" OR "))
                        + " OR " + keyChanged;
        return """
                DECLARE
                  at bigint := %s;
                  logged bigint;
                  o jsonb;
                  n jsonb;
                BEGIN
                  IF current_setting('shuttle.applying', true) = 'on' THEN RETURN NULL; END IF;
                  IF TG_OP = 'DELETE' THEN
                    %s
                    %s;
                    RETURN NULL;
                  END IF;
                  IF TG_OP = 'UPDATE' THEN
                    o := to_jsonb(OLD);
                    n := to_jsonb(NEW);
                    %s
                    IF NOT (%s) THEN RETURN NULL; END IF;
                    IF %s THEN %s; END IF;
                  ELSE
                    %s
                  END IF;
                  %s RETURNING seq INTO logged;
                %s  RETURN NULL;
                END
                """.formatted(
                        PostgresClock.WALL_STAMP,
                        refuseLost(t, "to_jsonb(OLD)"),
                        logWrite(t, "OLD", Op.DELETE),
                        refuseLost(t, "n"), // OLD has the columns NEW has
                        anyChanged,
                        keyChanged,
                        logWrite(t, "OLD", Op.DELETE),
                        refuseLost(t, "to_jsonb(NEW)"),
                        logWrite(t, "NEW", Op.UPSERT),
                        columnClocks(t));
    }

    /**
     * Refuses the write, naming the column and what to do, when the table lost a column the trigger names
     * rows by (its key, its scope column) since it was captured: PostgreSQL's own error ({@code record "new"
     * has no field "id"}) would say neither. {@code row} is the row as JSON (an update has it already; built
     * for the check on an insert or a delete, about 1 µs of the server's CPU a row), looked up once when
     * nothing was lost.
     */
    private static String refuseLost(SyncedTable t, String row) {
        List<String> named = LostColumns.named(t);
        String present = named.size() == 1
                ? row + " ? " + Identifiers.literal(named.get(0))
                : row + " ?& ARRAY[" + named.stream().map(Identifiers::literal).collect(Collectors.joining(", ")) + "]";
        String which = named.stream()
                .map(c -> "IF NOT (" + row + " ? " + Identifiers.literal(c)
                        + ") THEN RAISE EXCEPTION USING ERRCODE = 'undefined_column', MESSAGE = "
                        + Identifiers.literal(LostColumns.message(t, c, Identifiers::doubleQuote)) + "; END IF;")
                .collect(Collectors.joining(" "));
        return "IF NOT (" + present + ") THEN " + which + " END IF;";
    }

    /** For FIELD_LWW tables, a stamp per written column (insert) or changed column (update), resolved by the fold. */
    private String columnClocks(SyncedTable t) {
        List<String> cols =
                t.replicatedColumns().stream().filter(c -> !t.key().contains(c)).toList();
        if (t.policy() != ConflictPolicy.FIELD_LWW || cols.isEmpty()) {
            return "";
        }
        String values = cols.stream()
                .map(c -> "(" + Identifiers.literal(c) + ", TG_OP = 'INSERT' OR " + changedOrFalse(t, c) + ")")
                .collect(Collectors.joining(", "));
        return """
                  %s SELECT %d, %s, c.col, logged, %d
                    FROM (VALUES %s) c(col, written) WHERE c.written
                    %s;
                """.formatted(
                        FeedSql.INSERT_COLUMN_STAMPS,
                        t.id(),
                        keys.keyExpression(t, "NEW"),
                        FeedSql.PENDING_ORIGIN,
                        values,
                        FeedSql.COLUMN_STAMP_REPLACES);
    }

    /** On INSERT, {@code o} and {@code n} are NULL, so the comparison is NULL there; callers OR it with the operation. */
    private String changedOrFalse(SyncedTable t, String column) {
        return "coalesce(TG_OP = 'UPDATE' AND (" + changedValue(column) + "), false)";
    }

    /**
     * Whether an UPDATE changed a value column, read from the rows as JSON ({@code o}, {@code n}): a column
     * dropped or renamed since capture (a change refused until it is accepted) reads as NULL on both sides
     * rather than failing the application's write.
     */
    private static String changedValue(String column) {
        String name = Identifiers.literal(column);
        return "(o -> " + name + ") IS DISTINCT FROM (n -> " + name + ")";
    }

    private String changed(SyncedTable t, String column) {
        String type = DeclaredTypes.base(PostgresKeys.column(t, column).declaredType());
        // json, xml and geometric types have no equality operator: compare their text
        String cast = switch (type) {
            case "json", "xml", "point", "line", "lseg", "box", "path", "polygon", "circle" -> "::text";
            default -> "";
        };
        String q = dialect.quote(column);
        return "OLD." + q + cast + " IS DISTINCT FROM NEW." + q + cast;
    }

    private String logWrite(SyncedTable t, String row, Op op) {
        String scope = t.scopeColumn() == null ? "NULL" : "(" + row + "." + dialect.quote(t.scopeColumn()) + ")::text";
        return "INSERT INTO _shuttle_log (tbl, pk, op, hlc, scope) VALUES (" + t.id() + ", "
                + keys.keyExpression(t, row) + ", " + op.code() + ", at, " + scope + ")";
    }

    private static String functionName(SyncedTable t) {
        return "\"_shuttle_capture_" + t.id() + "\"";
    }
}
