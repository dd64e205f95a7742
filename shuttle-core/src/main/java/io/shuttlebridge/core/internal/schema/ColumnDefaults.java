package io.shuttlebridge.core.internal.schema;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The column defaults of a table that are safe constants, as {@code GET /v1/schema} announces them so a
 * device that adds the column gives it the same default: a literal number ({@link Long} or {@link
 * BigDecimal}), string ({@link String}) or boolean ({@link Boolean}). Any other default (a function call
 * such as {@code now()} or {@code nextval(...)}, an expression, a literal cast to a type other than text
 * or a number) is left out: the device's column then has no default, as before. Internal.
 */
public final class ColumnDefaults {
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d{1,18}");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.\\d*|\\.\\d+|\\d+)([eE][+-]?\\d+)?");
    /** A quoted string, optionally cast ({@code 'x'::text}, PostgreSQL's spelling of a default). */
    private static final Pattern QUOTED = Pattern.compile("'((?:[^']|'')*)'(?:::([a-z ]+(?:\\(\\d+\\))?))?");

    private static final Set<String> TEXT_TYPES = Set.of("text", "character varying", "varchar", "character", "bpchar");
    private static final Set<String> NUMBER_TYPES = Set.of(
            "integer", "bigint", "smallint", "numeric", "real", "double precision", "int", "int4", "int8", "int2");

    private ColumnDefaults() {}

    /**
     * The safe constant defaults of {@code table}'s columns, by column name, in a database of dialect
     * {@code dialect} ({@code sqlite}, {@code postgresql}, {@code mariadb}); columns without one are absent.
     */
    public static Map<String, Object> read(Connection c, String dialect, String table) throws SQLException {
        String sql = switch (dialect) {
            case "sqlite" -> "SELECT name, dflt_value FROM pragma_table_info(?)";
            case "postgresql" -> """
                        SELECT a.attname, pg_get_expr(d.adbin, d.adrelid)
                        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
                        JOIN pg_namespace n ON n.oid = c.relnamespace
                        JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                        WHERE n.nspname = current_schema() AND c.relname = ? AND a.attnum > 0
                          AND NOT a.attisdropped AND a.attgenerated = ''""";
            case "mariadb" -> """
                        SELECT COLUMN_NAME, COLUMN_DEFAULT FROM information_schema.COLUMNS
                        WHERE TABLE_SCHEMA = database() AND TABLE_NAME = ?""";
            default -> null;
        };
        Map<String, Object> out = new LinkedHashMap<>();
        if (sql == null) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    String expr = rs.getString(2);
                    if (expr != null) {
                        literal(expr).ifPresent(v -> out.put(name, v));
                    }
                }
            }
        }
        return out;
    }

    /** {@link #read} for each of {@code tables}, by table; tables without a safe default are absent. */
    public static Map<String, Map<String, Object>> ofTables(Connection c, String dialect, java.util.List<String> tables)
            throws SQLException {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (String t : tables) {
            Map<String, Object> d = read(c, dialect, t);
            if (!d.isEmpty()) {
                out.put(t, d);
            }
        }
        return out;
    }

    /**
     * The constant a default expression stands for, when it is a safe constant: {@code 0}, {@code -1.5},
     * {@code (-1)}, {@code 'text'}, {@code 'it''s'::text}, {@code '5'::integer}, {@code true}; empty for
     * anything else ({@code NULL} included: no default).
     */
    public static Optional<Object> literal(String expression) {
        String e = expression.strip();
        while (e.length() > 1 && e.startsWith("(") && e.endsWith(")")) {
            e = e.substring(1, e.length() - 1).strip();
        }
        if (INTEGER.matcher(e).matches()) {
            return Optional.of(Long.parseLong(e.startsWith("+") ? e.substring(1) : e));
        }
        if (DECIMAL.matcher(e).matches()) {
            return Optional.of(new BigDecimal(e.startsWith("+") ? e.substring(1) : e));
        }
        String lower = e.toLowerCase(Locale.ROOT);
        if (lower.equals("true") || lower.equals("false")) {
            return Optional.of(Boolean.parseBoolean(lower));
        }
        Matcher m = QUOTED.matcher(e);
        if (m.matches()) {
            String text = m.group(1).replace("''", "'");
            String cast = m.group(2) == null ? null : m.group(2).replaceAll("\\(\\d+\\)$", "");
            if (cast == null || TEXT_TYPES.contains(cast)) {
                return Optional.of(text);
            }
            if (NUMBER_TYPES.contains(cast)) {
                return literal(text).filter(v -> v instanceof Number);
            }
        }
        return Optional.empty();
    }

    /** The SQL literal of a constant {@link #literal} gave (or read from a schema document). */
    public static String sql(Object value) {
        if (value instanceof Boolean b) {
            return b ? "1" : "0";
        }
        if (value instanceof Number n) {
            return n instanceof BigDecimal d ? d.toPlainString() : n.toString();
        }
        return "'" + value.toString().replace("'", "''") + "'";
    }
}
