package io.shuttlebridge.core.internal.dialect.mariadb;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.dialect.FeedKeys;
import io.shuttlebridge.core.internal.dialect.TextKeys;
import io.shuttlebridge.core.internal.schema.Column;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Feed keys on MariaDB. The feed key is text (stored {@code utf8mb4_nopad_bin}: compared code point by
 * code point, trailing spaces included): for a one-column key the value's canonical text (decimal digits
 * for numbers, lower-case hex for bytes, ISO-8601 for dates and times, a {@code timestamp} in UTC
 * whatever the writing session's time zone, text as it is), so it never depends on a session's
 * settings; for a composite key the JSON array of those texts ({@code JSON_ARRAY(...)}). {@link
 * #decodeKey} turns them back into the value kinds the engine reads from such columns.
 */
final class MariaDbKeys implements FeedKeys {
    private final Dialect dialect;

    MariaDbKeys(Dialect dialect) {
        this.dialect = dialect;
    }

    @Override
    public String keyExpression(SyncedTable t, String alias) {
        return key(t, t.key().stream().map(c -> alias + "." + dialect.quote(c)).toList());
    }

    @Override
    public String keyParameterExpression(SyncedTable t) {
        return key(t, t.key().stream().map(c -> typedParameter(column(t, c))).toList());
    }

    /** A parameter read as the column's type, so that its text is the one the column's value gives. */
    private static String typedParameter(Column c) {
        String d = c.declaredType();
        return switch (MariaDbTypes.name(d)) {
            case "decimal", "numeric", "dec", "fixed" ->
                "cast(? AS DECIMAL" + (d.indexOf('(') < 0 ? "" : d.substring(d.indexOf('('), d.indexOf(')') + 1)) + ")";
            case "bigint" -> MariaDbTypes.unsigned(d) ? "cast(? AS UNSIGNED)" : "?";
            case "datetime", "timestamp" -> "cast(? AS DATETIME(6))";
            case "date" -> "cast(? AS DATE)";
            default -> "?";
        };
    }

    /** The feed key of the key column values {@code parts} (SQL expressions, in key order). */
    String key(SyncedTable t, List<String> parts) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            texts.add(keyPart(column(t, t.key().get(i)), parts.get(i)));
        }
        String key = texts.size() == 1 ? texts.get(0) : "JSON_ARRAY(" + String.join(", ", texts) + ")";
        // compared with the feed's keys, which are utf8mb4_nopad_bin: the same character set and collation
        return "convert(" + key + " USING utf8mb4) COLLATE utf8mb4_nopad_bin";
    }

    /** The canonical text of one key value, in the key column's own character set turned to utf8mb4. */
    private static String keyPart(Column c, String expr) {
        return switch (c.jdbcType()) {
            case Types.BINARY -> "lower(hex(" + expr + "))";
            case Types.TIMESTAMP_WITH_TIMEZONE ->
                // seconds since the epoch do not depend on the session's time zone; the text is made from them in UTC
                "date_format(timestamp('1970-01-01') + INTERVAL cast(unix_timestamp(" + expr
                        + ") * 1000000 AS SIGNED) MICROSECOND, '%Y-%m-%dT%H:%i:%s.%fZ')";
            case Types.TIMESTAMP -> "date_format(" + expr + ", '%Y-%m-%dT%H:%i:%s.%f')";
            case Types.DATE -> "date_format(" + expr + ", '%Y-%m-%d')";
            case Types.VARCHAR -> expr;
            default -> "cast(" + expr + " AS CHAR)";
        };
    }

    @Override
    public String storedKeysCondition(SyncedTable t, String alias, int n) {
        // the key columns themselves, so that the table's primary key index serves the lookup
        List<String> cols =
                t.key().stream().map(c -> alias + "." + dialect.quote(c)).toList();
        String one = String.join(", ", Collections.nCopies(cols.size(), "?"));
        return cols.size() == 1
                ? cols.get(0) + " IN (" + String.join(", ", Collections.nCopies(n, "?")) + ")"
                : "(" + String.join(", ", cols) + ") IN (" + String.join(", ", Collections.nCopies(n, "(" + one + ")"))
                        + ")";
    }

    @Override
    public int bindStoredKeys(PreparedStatement ps, int from, SyncedTable t, List<Object> stored) throws SQLException {
        for (Object k : stored) {
            for (Object part : decodeKey(t, k)) {
                Jdbc.set(ps, from++, part);
            }
        }
        return from;
    }

    @Override
    public String keyComparison(SyncedTable t, String alias, String op) {
        List<String> cols =
                t.key().stream().map(c -> alias + "." + dialect.quote(c)).toList();
        String params = String.join(", ", Collections.nCopies(cols.size(), "?"));
        return cols.size() == 1
                ? cols.get(0) + " " + op + " " + params
                : "(" + String.join(", ", cols) + ") " + op + " (" + params + ")";
    }

    @Override
    public Object storedKey(SyncedTable t, List<Object> key) {
        if (key.size() != 1) {
            return null;
        }
        Object v = key.get(0);
        Column col = column(t, t.key().get(0));
        if (v instanceof byte[] b && col.jdbcType() == Types.BINARY) {
            return HexFormat.of().formatHex(b);
        }
        if ((v instanceof Long || v instanceof Integer) && col.jdbcType() == Types.BIGINT) {
            return v.toString();
        }
        return v instanceof String s && col.jdbcType() == Types.VARCHAR ? s : null;
    }

    @Override
    public List<Object> decodeKey(SyncedTable t, Object stored) {
        String text = stored instanceof byte[] b
                ? new String(b, java.nio.charset.StandardCharsets.UTF_8)
                : String.valueOf(stored);
        return TextKeys.decode(t, text, c -> column(t, c), MariaDbKeys::decodePart);
    }

    /** A key part as the engine reads values of its column ({@code Jdbc.readValue}), so that a change's key matches its values. */
    private static Object decodePart(Column c, String text) {
        return switch (c.jdbcType()) {
            case Types.BIGINT -> Long.valueOf(text);
            case Types.NUMERIC -> new BigDecimal(text);
            case Types.DOUBLE -> Double.valueOf(text);
            case Types.BOOLEAN -> !text.equals("0");
            case Types.BINARY -> HexFormat.of().parseHex(text);
            case Types.TIMESTAMP_WITH_TIMEZONE -> TextKeys.isoTime(text, true);
            case Types.TIMESTAMP -> TextKeys.isoTime(text, false);
            default -> text;
        };
    }

    static Column column(SyncedTable t, String name) {
        return t.table()
                .column(name)
                .orElseThrow(() -> new ShuttleException(
                        ErrorCode.INTERNAL, "column `" + name + "` of `" + t.name() + "` is not known"));
    }

    /** The key columns of the table, in key order. */
    static List<Column> keyColumns(SyncedTable t) {
        return t.key().stream().map(c -> column(t, c)).collect(Collectors.toList());
    }
}
