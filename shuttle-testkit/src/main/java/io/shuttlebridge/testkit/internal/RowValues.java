package io.shuttlebridge.testkit.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Values as replicas are compared: by value, whatever the database that holds them. Integers of
 * any width are {@code Long}; booleans are 0/1 (as on a SQLite device); exact decimals are a
 * {@code Long} or {@code Double} when that is the same number, else their plain digits; blobs are
 * {@link Bytes}, equal by content.
 */
public final class RowValues {
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    private RowValues() {}

    /** A blob compared by content. */
    public record Bytes(byte[] value) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Bytes b && Arrays.equals(value, b.value);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "X'" + HexFormat.of().formatHex(value) + "'";
        }
    }

    public static Object normalize(Object v) {
        return switch (v) {
            case null -> null;
            case Integer i -> i.longValue();
            case Short s -> s.longValue();
            case Byte b -> b.longValue();
            case BigInteger b -> normalize(new BigDecimal(b));
            case Float f -> f.doubleValue();
            case Boolean b -> b ? 1L : 0L;
            case BigDecimal d -> decimal(d);
            case byte[] bytes -> new Bytes(bytes);
            default -> v;
        };
    }

    private static Object decimal(BigDecimal d) {
        if (d.signum() == 0 || d.stripTrailingZeros().scale() <= 0) {
            if (d.compareTo(LONG_MIN) >= 0 && d.compareTo(LONG_MAX) <= 0) {
                return d.longValueExact();
            }
            return d.toPlainString();
        }
        double asDouble = d.doubleValue();
        return new BigDecimal(Double.toString(asDouble)).compareTo(d) == 0 ? asDouble : d.toPlainString();
    }

    /** A row with every value normalized, columns in the order given. */
    public static Map<String, Object> normalize(Map<String, Object> row) {
        if (row == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        row.forEach((k, v) -> out.put(k, normalize(v)));
        return out;
    }

    /** The normalized values of {@code columns} of a row, in that order. */
    public static List<Object> values(Map<String, Object> row, List<String> columns) {
        List<Object> out = new ArrayList<>(columns.size());
        for (String c : columns) {
            out.add(normalize(row.get(c)));
        }
        return out;
    }

    /** A value as it reads in a message: text quoted, NULL spelled out. */
    public static String show(Object v) {
        Object n = normalize(v);
        return switch (n) {
            case null -> "NULL";
            case String s -> "'" + s + "'";
            default -> n.toString();
        };
    }

    /** A key as it reads in a message: {@code (id=3)} or {@code (order_id=1, line=2)}. */
    public static String showKey(List<String> columns, List<Object> values) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            parts.add(columns.get(i) + "=" + show(values.get(i)));
        }
        return parts.stream().collect(Collectors.joining(", ", "(", ")"));
    }

    /** A row as it reads in a message: {@code {id=3, name='x'}}. */
    public static String showRow(Map<String, Object> row) {
        if (row == null) {
            return "absent";
        }
        return row.entrySet().stream()
                .map(e -> e.getKey() + "=" + show(e.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
