package io.shuttlebridge.testkit.internal;

import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * SQL text as an application would write it by hand: quoted identifiers and literal values, so
 * generated statements read well in a failure message and run in the {@code sqlite3} shell too.
 */
public final class SqlText {
    private SqlText() {}

    /** ANSI double quotes, embedded quotes doubled: any name is safe. */
    public static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    public static String columns(List<String> names) {
        return names.stream().map(SqlText::quote).collect(Collectors.joining(", "));
    }

    /** A value as an SQL literal: numbers as they are, text and blobs quoted, booleans as TRUE/FALSE. */
    public static String literal(Object value) {
        return switch (value) {
            case null -> "NULL";
            case Boolean b -> b ? "TRUE" : "FALSE";
            case Number n -> n.toString();
            case byte[] bytes -> "X'" + HexFormat.of().formatHex(bytes) + "'";
            case RowValues.Bytes bytes -> literal(bytes.value());
            default -> "'" + value.toString().replace("'", "''") + "'";
        };
    }

    /** {@code "a" = 1 AND "b" = 'x'} for the columns and values given in the same order ({@code IS NULL} for nulls). */
    public static String where(List<String> columns, List<Object> values) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                out.append(" AND ");
            }
            Object v = values.get(i);
            out.append(quote(columns.get(i))).append(v == null ? " IS NULL" : " = " + literal(v));
        }
        return out.toString();
    }
}
