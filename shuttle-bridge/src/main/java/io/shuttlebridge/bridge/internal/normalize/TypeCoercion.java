package io.shuttlebridge.bridge.internal.normalize;

import io.shuttlebridge.bridge.definition.FieldSpec;
import io.shuttlebridge.bridge.definition.FieldType;
import io.shuttlebridge.bridge.internal.record.RecordRejection;
import io.shuttlebridge.bridge.internal.record.Stage;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Clob;
import java.sql.Date;
import java.sql.SQLException;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.HexFormat;
import java.util.List;

/**
 * Layer 1: turns source-native values (JDBC and JSON types) into the few Java types the later layers
 * know: String, Long, BigDecimal, Boolean, LocalDate, LocalDateTime, Instant. Floating-point inputs are
 * converted through their shortest decimal text, never widened into binary fractions.
 */
final class TypeCoercion implements NormalizerLayer {
    private final FieldType[] types;
    private final String[] names;

    TypeCoercion(List<FieldSpec> fields) {
        types = fields.stream().map(FieldSpec::type).toArray(FieldType[]::new);
        names = fields.stream().map(FieldSpec::name).toArray(String[]::new);
    }

    @Override
    public String name() {
        return "type-coercion";
    }

    @Override
    public Object apply(int field, Object value) {
        Object v = sourceNative(value);
        if (v == null || v instanceof String) {
            return v;
        }
        return switch (types[field]) {
            case STRING -> text(v);
            case INTEGER -> integer(field, v);
            case DECIMAL ->
                v instanceof Long l ? BigDecimal.valueOf(l) : v instanceof BigDecimal ? v : reject(field, v);
            case BOOLEAN ->
                v instanceof Boolean ? v : v instanceof Long l && (l == 0 || l == 1) ? l == 1 : reject(field, v);
            case DATE -> v instanceof LocalDate ? v : reject(field, v);
            case DATETIME -> v instanceof LocalDateTime ? v : reject(field, v);
            case TIMESTAMP -> v instanceof Instant || v instanceof LocalDateTime ? v : reject(field, v);
        };
    }

    private static Object sourceNative(Object v) {
        return switch (v) {
            case null -> null;
            case String s -> s;
            case Integer i -> i.longValue();
            case Short s -> s.longValue();
            case Byte b -> b.longValue();
            case Long l -> l;
            case BigInteger b -> new BigDecimal(b);
            case BigDecimal d -> d;
            case Double d -> new BigDecimal(Double.toString(d));
            case Float f -> new BigDecimal(Float.toString(f));
            case Boolean b -> b;
            case Timestamp t -> t.toLocalDateTime();
            case Date d -> d.toLocalDate();
            case Time t -> t.toLocalTime().toString();
            case OffsetDateTime o -> o.toInstant();
            case ZonedDateTime z -> z.toInstant();
            case byte[] bytes -> HexFormat.of().formatHex(bytes);
            case Clob c -> clob(c);
            default -> v;
        };
    }

    private static String clob(Clob c) {
        try {
            return c.getSubString(1, (int) c.length());
        } catch (SQLException e) {
            throw new RecordRejection(Stage.NORMALIZE, "type-coercion", "cannot read text value: " + e.getMessage(), e);
        }
    }

    private Object integer(int field, Object v) {
        if (v instanceof Long) {
            return v;
        }
        if (v instanceof BigDecimal d) {
            try {
                return d.stripTrailingZeros().longValueExact();
            } catch (ArithmeticException e) {
                throw new RecordRejection(
                        Stage.NORMALIZE,
                        "type-coercion",
                        names[field] + ": '" + d.toPlainString() + "' is not a whole number in range");
            }
        }
        return reject(field, v);
    }

    private static String text(Object v) {
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        return v.toString();
    }

    private Object reject(int field, Object v) {
        throw new RecordRejection(
                Stage.NORMALIZE,
                "type-coercion",
                names[field] + ": cannot read a " + v.getClass().getSimpleName() + " value '" + v + "' as "
                        + types[field].yamlName());
    }
}
