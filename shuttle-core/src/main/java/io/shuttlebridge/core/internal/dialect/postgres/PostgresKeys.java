package io.shuttlebridge.core.internal.dialect.postgres;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.dialect.FeedKeys;
import io.shuttlebridge.core.internal.dialect.TextKeys;
import io.shuttlebridge.core.internal.schema.Column;
import io.shuttlebridge.core.internal.schema.DeclaredTypes;
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
 * Feed keys on PostgreSQL. The feed key is text: for a one-column key the value's canonical text
 * ({@code ::text}; hex for bytea; ISO-8601 for dates and timestamps, timestamps with time zone in
 * UTC), so it never depends on a session's DateStyle, TimeZone or bytea_output; for a composite key
 * the JSON array of those texts ({@code jsonb_build_array(...)::text}). {@link #decodeKey} turns
 * them back into Long, BigDecimal, Double, Boolean, byte[] or String by column type, so 64-bit
 * integers, text, bytea and uuids are exact.
 */
final class PostgresKeys implements FeedKeys {
    private final Dialect dialect;

    PostgresKeys(Dialect dialect) {
        this.dialect = dialect;
    }

    @Override
    public String keyExpression(SyncedTable t, String alias) {
        return key(t, t.key().stream().map(c -> qualified(alias, c)).toList());
    }

    @Override
    public String keyParameterExpression(SyncedTable t) {
        return key(t, t.key().stream().map(c -> typedParameter(t, c)).toList());
    }

    /** The feed key of the key column values {@code parts} (SQL expressions, in key order). */
    String key(SyncedTable t, List<String> parts) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            texts.add(keyPart(column(t, t.key().get(i)), parts.get(i)));
        }
        return texts.size() == 1 ? texts.get(0) : "jsonb_build_array(" + String.join(", ", texts) + ")::text";
    }

    /** Canonical text of one key value, independent of the session's DateStyle, TimeZone and bytea_output. */
    private static String keyPart(Column c, String expr) {
        return switch (DeclaredTypes.base(c.declaredType())) {
            case "bytea" -> "encode(" + expr + ", 'hex')";
            case "timestamp with time zone" ->
                "to_char((" + expr + ") AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')";
            case "timestamp without time zone" -> "to_char(" + expr + ", 'YYYY-MM-DD\"T\"HH24:MI:SS.US')";
            case "date" -> "to_char(" + expr + ", 'YYYY-MM-DD')";
            default -> "(" + expr + ")::text";
        };
    }

    @Override
    public String storedKeysCondition(SyncedTable t, String alias, int n) {
        List<Column> key = keyColumns(t);
        String columns = t.key().stream().map(c -> qualified(alias, c)).collect(Collectors.joining(", "));
        if (key.stream().allMatch(PgArrays::scalar)) {
            // one array parameter per key column whatever the number of keys: one statement text, planned once
            if (key.size() == 1) {
                return columns + " = ANY(" + PgArrays.parameter(key.get(0)) + ")";
            }
            return "(" + columns + ") IN (SELECT * FROM unnest("
                    + key.stream().map(PgArrays::parameter).collect(Collectors.joining(", ")) + "))";
        }
        // compare the key columns themselves so that the table's primary key index serves the lookup
        String one = t.key().stream().map(c -> typedParameter(t, c)).collect(Collectors.joining(", "));
        return key.size() == 1
                ? columns + " IN (" + String.join(", ", Collections.nCopies(n, one)) + ")"
                : "(" + columns + ") IN (" + String.join(", ", Collections.nCopies(n, "(" + one + ")")) + ")";
    }

    @Override
    public int bindStoredKeys(PreparedStatement ps, int from, SyncedTable t, List<Object> stored) throws SQLException {
        List<Column> key = keyColumns(t);
        if (key.stream().allMatch(PgArrays::scalar)) {
            String[][] parts = new String[key.size()][stored.size()];
            boolean hex = key.size() == 1
                    && DeclaredTypes.base(key.get(0).declaredType()).equals("bytea");
            for (int i = 0; i < stored.size(); i++) {
                if (key.size() == 1) {
                    // a one-column key is stored as the value's canonical text, which its type reads back (bytea: hex
                    // digits)
                    parts[0][i] = hex ? "\\x" + stored.get(i) : String.valueOf(stored.get(i));
                } else {
                    List<Object> values = decodeKey(t, stored.get(i));
                    for (int k = 0; k < values.size(); k++) {
                        parts[k][i] = PgArrays.text(values.get(k));
                    }
                }
            }
            for (String[] column : parts) {
                ps.setArray(from++, PgArrays.texts(ps.getConnection(), column));
            }
            return from;
        }
        for (Object k : stored) {
            for (Object part : decodeKey(t, k)) {
                ps.setObject(from++, part);
            }
        }
        return from;
    }

    @Override
    public String keyComparison(SyncedTable t, String alias, String op) {
        // parameters of the columns' types: a uuid or timestamp key compares as itself, not as text
        String columns = t.key().stream().map(c -> qualified(alias, c)).collect(Collectors.joining(", "));
        String params = t.key().stream().map(c -> typedParameter(t, c)).collect(Collectors.joining(", "));
        return t.key().size() == 1
                ? columns + " " + op + " " + params
                : "(" + columns + ") " + op + " (" + params + ")";
    }

    @Override
    public String rowByFeedKey(SyncedTable t, String feedAlias, String rowAlias) {
        // the stored key's text read back as each key column's type; text keys are left out (the feed's key
        // column has collation "C", a text key column most often another, whose index the comparison could not use)
        List<Column> key = keyColumns(t);
        List<String> columns = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (int i = 0; i < key.size(); i++) {
            String text = key.size() == 1 ? feedAlias + ".pk" : "(" + feedAlias + ".pk::jsonb ->> " + i + ")";
            String base = DeclaredTypes.base(key.get(i).declaredType());
            String value = switch (base) {
                case "smallint",
                        "integer",
                        "bigint",
                        "numeric",
                        "real",
                        "double precision",
                        "boolean",
                        "uuid",
                        "date",
                        "timestamp with time zone",
                        "timestamp without time zone" -> "CAST(" + text + " AS " + base + ")";
                case "bytea" -> "decode(" + text + ", 'hex')";
                default -> null;
            };
            if (value == null) {
                return null;
            }
            columns.add(qualified(rowAlias, key.get(i).name()));
            // decoded only for the table's own entries, whatever order the database evaluates conditions in
            values.add("CASE WHEN " + feedAlias + ".tbl = " + t.id() + " THEN " + value + " END");
        }
        return key.size() == 1
                ? columns.get(0) + " = " + values.get(0)
                : "(" + String.join(", ", columns) + ") = (" + String.join(", ", values) + ")";
    }

    @Override
    public String feedKeysCondition(String column, int n) {
        // one parameter whatever the number of keys: one statement text, planned once
        return column + " = ANY(CAST(? AS text[]))";
    }

    @Override
    public int bindFeedKeys(PreparedStatement ps, int from, List<Object> stored) throws SQLException {
        String[] keys = new String[stored.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = String.valueOf(stored.get(i));
        }
        ps.setArray(from, PgArrays.texts(ps.getConnection(), keys));
        return from + 1;
    }

    @Override
    public Object storedKey(SyncedTable t, List<Object> key) {
        if (key.size() != 1) {
            return null;
        }
        Object v = key.get(0);
        Column col = column(t, t.key().get(0));
        if (v instanceof byte[] b) {
            return HexFormat.of().formatHex(b);
        }
        if ((v instanceof Long || v instanceof Integer) && col.jdbcType() == Types.BIGINT) {
            return v.toString();
        }
        String base = DeclaredTypes.base(col.declaredType());
        return v instanceof String s && (base.equals("text") || base.equals("character varying")) ? s : null;
    }

    @Override
    public List<Object> decodeKey(SyncedTable t, Object stored) {
        String text = String.valueOf(stored);
        return TextKeys.decode(t, text, c -> column(t, c), PostgresKeys::decodePart);
    }

    private static Object decodePart(Column c, String text) {
        return switch (DeclaredTypes.base(c.declaredType())) {
            case "smallint", "integer", "bigint" -> Long.valueOf(text);
            case "numeric" -> new BigDecimal(text);
            case "real", "double precision" -> Double.valueOf(text);
            case "boolean" -> Boolean.valueOf(text);
            case "bytea" -> HexFormat.of().parseHex(text);
            // the form values of these columns are read in (Jdbc.readValue), so that a change's key matches its values
            case "timestamp with time zone" -> TextKeys.isoTime(text, true);
            case "timestamp without time zone" -> TextKeys.isoTime(text, false);
            default -> text;
        };
    }

    private String qualified(String alias, String column) {
        return alias + "." + dialect.quote(column);
    }

    /** A parameter of the column's type, without its modifier. */
    private static String typedParameter(SyncedTable t, String column) {
        return "CAST(? AS " + DeclaredTypes.base(column(t, column).declaredType()) + ")";
    }

    /** The key columns of the table, in key order. */
    static List<Column> keyColumns(SyncedTable t) {
        return t.key().stream().map(c -> column(t, c)).toList();
    }

    static Column column(SyncedTable t, String name) {
        return t.table()
                .column(name)
                .orElseThrow(() -> new ShuttleException(
                        ErrorCode.INTERNAL, "column \"" + name + "\" of \"" + t.name() + "\" is not known"));
    }
}
