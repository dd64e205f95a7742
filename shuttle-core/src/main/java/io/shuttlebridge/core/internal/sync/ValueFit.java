package io.shuttlebridge.core.internal.sync;

import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.schema.Column;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which value of a row is too large for the column the hub declares (a {@code varchar(n)} or {@code
 * char(n)} shorter than the text, a {@code numeric(p, s)} without room for its digits, a {@code
 * smallint} or {@code integer} out of range), read from the declared types: the database's own
 * message rarely names the column. Internal.
 */
final class ValueFit {
    private static final Pattern TEXT =
            Pattern.compile("(?:character varying|varchar|nvarchar|character|char|nchar)\\s*\\(\\s*(\\d+)\\s*\\)");
    private static final Pattern DECIMAL =
            Pattern.compile("(?:numeric|decimal)\\s*\\(\\s*(\\d+)\\s*(?:,\\s*(-?\\d+)\\s*)?\\)");

    private ValueFit() {}

    /** The first column of the change whose value its declared type has no room for, said as such; null when none is found. */
    static String firstMisfit(SyncedTable t, Change ch) {
        if (ch.values() == null) {
            return null;
        }
        for (Map.Entry<String, Object> e : ch.values().entrySet()) {
            Column col = t.table().column(e.getKey()).orElse(null);
            if (col == null || e.getValue() == null) {
                continue;
            }
            String why = misfit(col.declaredType().toLowerCase(Locale.ROOT).trim(), e.getValue());
            if (why != null) {
                return "column \"" + col.name() + "\" of \"" + t.name() + "\" is " + col.declaredType()
                        + " on the hub: " + why;
            }
        }
        return null;
    }

    private static String misfit(String type, Object value) {
        Matcher text = TEXT.matcher(type);
        if (text.matches() && value instanceof String s) {
            long max = Long.parseLong(text.group(1));
            int length = s.codePointCount(0, s.length());
            return length > max ? "the value has " + length + " characters, it takes " + max : null;
        }
        Matcher decimal = DECIMAL.matcher(type);
        if (decimal.matches() && value instanceof Number n) {
            int precision = Integer.parseInt(decimal.group(1));
            int scale = decimal.group(2) == null ? 0 : Integer.parseInt(decimal.group(2));
            BigDecimal d = decimal(n);
            if (d == null) {
                return null;
            }
            BigDecimal rounded = d.setScale(scale, RoundingMode.HALF_UP);
            int before = rounded.precision() - rounded.scale();
            return before > precision - scale
                    ? "the value " + d.toPlainString() + " has " + before + " digits before the point, it takes "
                            + (precision - scale)
                    : null;
        }
        if (value instanceof Long || value instanceof Integer || value instanceof BigInteger) {
            BigInteger v = value instanceof BigInteger b ? b : BigInteger.valueOf(((Number) value).longValue());
            boolean small = type.equals("smallint") || type.equals("int2");
            boolean regular = type.equals("integer") || type.equals("int") || type.equals("int4");
            if ((small && outside(v, Short.MIN_VALUE, Short.MAX_VALUE))
                    || (regular && outside(v, Integer.MIN_VALUE, Integer.MAX_VALUE))) {
                return "the value " + v + " is beyond its range";
            }
        }
        return null;
    }

    private static boolean outside(BigInteger v, long min, long max) {
        return v.compareTo(BigInteger.valueOf(min)) < 0 || v.compareTo(BigInteger.valueOf(max)) > 0;
    }

    private static BigDecimal decimal(Number n) {
        if (n instanceof BigDecimal d) {
            return d;
        }
        if (n instanceof Double x && (x.isNaN() || x.isInfinite())) {
            return null;
        }
        try {
            return new BigDecimal(n.toString());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
