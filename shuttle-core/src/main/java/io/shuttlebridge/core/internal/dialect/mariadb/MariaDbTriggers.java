package io.shuttlebridge.core.internal.dialect.mariadb;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.dialect.CaptureTriggers;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.dialect.FeedSql;
import io.shuttlebridge.core.internal.dialect.Identifiers;
import io.shuttlebridge.core.internal.dialect.LostColumns;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Capture triggers on MariaDB, in plain SQL, one per event per table ({@code AFTER INSERT}, {@code AFTER
 * UPDATE}, {@code AFTER DELETE}; MySQL allows no more than one of each without ordering clauses), so
 * writes from the {@code mariadb} client or any other program are captured. A trigger appends to the
 * capture log {@code _shuttle_log} with the wall-clock time of the write. An UPDATE that changes no
 * replicated column logs nothing (dirty-field rule: {@code <=>}, null-safe, and text compared byte for
 * byte, since a collation may take {@code 'a'} for {@code 'A'} or ignore trailing spaces); an UPDATE of
 * the key logs a delete of the old key (its tombstone) before the upsert of the new one. While the
 * session applies remote changes ({@code @shuttle_applying} is set, see {@link MariaDbApply}) the
 * triggers log nothing; other sessions' writes meanwhile are captured. A write to a table that lost a column
 * its triggers name since it was captured (dropped or renamed with plain SQL) is refused with a message
 * naming the column and what to do ({@link LostColumns}).
 */
final class MariaDbTriggers implements CaptureTriggers {
    /** The condition under which a trigger logs: the session is not applying remote changes. */
    static final String CAPTURING = "@shuttle_applying IS NULL";

    private final Dialect dialect;
    private final MariaDbKeys keys;

    MariaDbTriggers(Dialect dialect, MariaDbKeys keys) {
        this.dialect = dialect;
        this.keys = keys;
    }

    @Override
    public List<String> installTriggers(SyncedTable t) {
        String table = dialect.quote(t.name());
        String keyChanged = t.key().stream().map(c -> changed(t, c)).collect(Collectors.joining(" OR "));
        String anyChanged =
                t.replicatedColumns().stream().map(c -> changed(t, c)).collect(Collectors.joining(" OR "));
        List<String> valueColumns =
                t.replicatedColumns().stream().filter(c -> !t.key().contains(c)).toList();
        String lost = refuseLost(t);
        return List.of(
                "DROP TRIGGER IF EXISTS " + name(t, "i"),
                "DROP TRIGGER IF EXISTS " + name(t, "u"),
                "DROP TRIGGER IF EXISTS " + name(t, "d"),
                """
                CREATE TRIGGER %s AFTER INSERT ON %s FOR EACH ROW
                BEGIN
                  %s
                  %s
                  IF %s THEN
                    %s;
                    %s
                  END IF;
                END""".formatted(
                                name(t, "i"),
                                table,
                                lost,
                                zeroDates(t),
                                CAPTURING,
                                logWrite(t, "NEW", Op.UPSERT),
                                columnClocks(t, valueColumns, false)),
                """
                CREATE TRIGGER %s AFTER UPDATE ON %s FOR EACH ROW
                BEGIN
                  %s
                  %s
                  IF %s AND (%s) THEN
                    IF %s THEN
                      %s;
                    END IF;
                    %s;
                    %s
                  END IF;
                END""".formatted(
                                name(t, "u"),
                                table,
                                lost,
                                zeroDates(t),
                                CAPTURING,
                                anyChanged,
                                keyChanged,
                                logWrite(t, "OLD", Op.DELETE),
                                logWrite(t, "NEW", Op.UPSERT),
                                columnClocks(t, valueColumns, true)),
                """
                CREATE TRIGGER %s AFTER DELETE ON %s FOR EACH ROW
                BEGIN
                  %s
                  IF %s THEN
                    %s;
                  END IF;
                END""".formatted(name(t, "d"), table, lost, CAPTURING, logWrite(t, "OLD", Op.DELETE)));
    }

    /**
     * Refuses the write, naming the column and what to do, when the table lost a column the trigger names
     * since it was captured (dropped or renamed with plain SQL), where MariaDB's own error ({@code Unknown
     * column 'id' in 'NEW'}) says neither: a handler of that error, which costs nothing until it is raised,
     * names the key or scope column the table lost, else passes on MariaDB's words about the value column.
     */
    private static String refuseLost(SyncedTable t) {
        StringBuilder which = new StringBuilder("CASE");
        for (String c : LostColumns.named(t)) {
            which.append(" WHEN NOT EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
                            + " AND TABLE_NAME = ")
                    .append(Identifiers.literal(t.name()))
                    .append(" AND COLUMN_NAME = ")
                    .append(Identifiers.literal(c))
                    .append(") THEN ")
                    .append(Identifiers.literal(LostColumns.message(t, c, MariaDbIdentifiers::backtick)));
        }
        List<String> any = LostColumns.anyColumn(t, MariaDbIdentifiers::backtick);
        which.append(" ELSE CONCAT(")
                .append(Identifiers.literal(any.get(0)))
                .append(", m, ")
                .append(Identifiers.literal(any.get(1)))
                .append(") END");
        return """
                DECLARE EXIT HANDLER FOR 1054
                  BEGIN
                    DECLARE m TEXT;
                    GET DIAGNOSTICS CONDITION 1 m = MESSAGE_TEXT;
                    SET m = %s;
                    SIGNAL SQLSTATE '42S22' SET MESSAGE_TEXT = m;
                  END;""".formatted(which);
    }

    /**
     * For FIELD_LWW tables, a stamp per written column (insert) or changed column (update), its hlc the
     * log seq of the write just logged until the fold stamps it.
     */
    private String columnClocks(SyncedTable t, List<String> columns, boolean onlyChanged) {
        if (t.policy() != ConflictPolicy.FIELD_LWW || columns.isEmpty()) {
            return "";
        }
        // no derived table: MariaDB 10.11 pushes a condition on a derived table into it, where a trigger's
        // OLD and NEW are unknown ("Unknown column"); an insert stamps every column in one statement, an
        // update each changed column in its own
        String upsert = " ON DUPLICATE KEY UPDATE hlc = VALUES(hlc), origin = VALUES(origin);";
        java.util.function.Function<String, String> row = c -> "(" + t.id() + ", " + keys.keyExpression(t, "NEW") + ", "
                + Identifiers.literal(c) + ", LAST_INSERT_ID(), " + FeedSql.PENDING_ORIGIN + ")";
        if (!onlyChanged) {
            return FeedSql.INSERT_COLUMN_STAMPS + " VALUES "
                    + columns.stream().map(row).collect(Collectors.joining(", ")) + upsert;
        }
        return columns.stream()
                .map(c -> "IF " + changed(t, c) + " THEN " + FeedSql.INSERT_COLUMN_STAMPS + " VALUES " + row.apply(c)
                        + upsert + " END IF;")
                .collect(Collectors.joining("\n    "));
    }

    /**
     * Refuses a zero date ({@code 0000-00-00}, or a zero month or day, which MariaDB stores unless its SQL
     * mode forbids them) in a replicated date column: no device can hold it as a date, so the write fails,
     * naming the table and column, and nothing of it is kept.
     */
    private String zeroDates(SyncedTable t) {
        StringBuilder out = new StringBuilder();
        for (String c : t.replicatedColumns()) {
            int type = MariaDbKeys.column(t, c).jdbcType();
            if (type != java.sql.Types.DATE
                    && type != java.sql.Types.TIMESTAMP
                    && type != java.sql.Types.TIMESTAMP_WITH_TIMEZONE) {
                continue;
            }
            String v = "NEW." + dialect.quote(c);
            out.append("IF ")
                    .append(v)
                    .append(" IS NOT NULL AND (year(")
                    .append(v)
                    .append(") = 0 OR month(")
                    .append(v)
                    .append(") = 0 OR dayofmonth(")
                    .append(v)
                    .append(") = 0) THEN SIGNAL SQLSTATE '22007' SET MESSAGE_TEXT = ")
                    .append(Identifiers.literal(zeroDateMessage(t.name(), c)))
                    .append("; END IF;\n");
        }
        return out.toString();
    }

    /** The refusal of a zero date in {@code table}.{@code column}. */
    static String zeroDateMessage(String table, String column) {
        return "zero date in " + MariaDbIdentifiers.backtick(table) + "." + MariaDbIdentifiers.backtick(column)
                + ": a synced column takes a real date or NULL (devices cannot hold 0000-00-00)";
    }

    /** Whether the column's value changed: null-safe, text byte for byte. */
    private String changed(SyncedTable t, String column) {
        String q = dialect.quote(column);
        return MariaDbTypes.collated(MariaDbKeys.column(t, column))
                ? "NOT (BINARY OLD." + q + " <=> BINARY NEW." + q + ")"
                : "NOT (OLD." + q + " <=> NEW." + q + ")";
    }

    private String logWrite(SyncedTable t, String row, Op op) {
        String scope =
                t.scopeColumn() == null ? "NULL" : "cast(" + row + "." + dialect.quote(t.scopeColumn()) + " AS CHAR)";
        return "INSERT INTO _shuttle_log (tbl, pk, op, hlc, scope) VALUES (" + t.id() + ", "
                + keys.keyExpression(t, row) + ", " + op.code() + ", " + MariaDbClock.WALL_STAMP + ", " + scope
                + ")";
    }

    private static String name(SyncedTable t, String kind) {
        return "`_shuttle_t" + t.id() + "_" + kind + "`";
    }
}
