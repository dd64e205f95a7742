package io.shuttlebridge.core.internal.dialect.postgres;

import io.shuttlebridge.core.internal.schema.Column;
import io.shuttlebridge.core.internal.schema.DeclaredTypes;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Set;

/**
 * Many values in one parameter: a column of values is bound as one {@code text[]} and cast to the
 * column's type in SQL ({@code CAST(? AS bigint[])}), so that a page of rows is one statement and
 * one round trip instead of one per row. Every value goes in its text form, which PostgreSQL parses
 * with the column type's own input function, as it does for a text parameter of unspecified type.
 */
final class PgArrays {
    /**
     * Types whose text form is read back the same through an array cast; others (arrays, ranges,
     * composite and user-defined types) are written one row at a time.
     */
    private static final Set<String> SCALAR = Set.of(
            "smallint",
            "integer",
            "bigint",
            "numeric",
            "real",
            "double precision",
            "boolean",
            "text",
            "character varying",
            "character",
            "uuid",
            "bytea",
            "date",
            "timestamp with time zone",
            "timestamp without time zone",
            "time without time zone",
            "time with time zone",
            "interval",
            "json",
            "jsonb",
            "inet",
            "cidr",
            "macaddr",
            "xml");

    private PgArrays() {}

    /** Whether values of the column can travel in a {@code text[]} cast to its type. */
    static boolean scalar(Column c) {
        return SCALAR.contains(DeclaredTypes.base(c.declaredType()));
    }

    /**
     * {@code CAST(? AS base[])} for the column: the type without its modifier (a cast would cut
     * text to a length silently; the write then applies the modifier as for any value).
     */
    static String parameter(Column c) {
        String base = DeclaredTypes.base(c.declaredType());
        return "CAST(? AS " + (base.equals("character") ? "bpchar" : base) + "[])";
    }

    /** The text PostgreSQL reads as the value: bytes in hex ({@code \x...}), decimals in plain digits. */
    static String text(Object v) {
        if (v == null || v instanceof String) {
            return (String) v;
        }
        if (v instanceof byte[] b) {
            return "\\x" + HexFormat.of().formatHex(b);
        }
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        return v.toString(); // Long, Double ("1.0E-5", "NaN", "Infinity" are valid input), Boolean ("true"), others by
        // their text
    }

    static Array texts(Connection c, String[] values) throws SQLException {
        return c.createArrayOf("text", values);
    }
}
