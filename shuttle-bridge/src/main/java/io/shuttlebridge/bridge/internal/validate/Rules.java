package io.shuttlebridge.bridge.internal.validate;

import io.shuttlebridge.bridge.definition.EntityDefinition;
import io.shuttlebridge.bridge.definition.FieldType;
import io.shuttlebridge.bridge.definition.RuleSpec;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/** Compiles declared rules into {@link Rule}s bound to field positions. */
final class Rules {
    private Rules() {}

    static Rule compile(RuleSpec spec, EntityDefinition entity) {
        return switch (spec) {
            case RuleSpec.Required r ->
                rule(spec, entity.fieldIndex(r.field()), v -> v == null ? "is missing" : null, false);
            case RuleSpec.TypeCheck t ->
                rule(
                        spec,
                        entity.fieldIndex(t.field()),
                        v -> isType(v, t.type())
                                ? null
                                : "'" + v + "' is not " + t.type().yamlName(),
                        true);
            case RuleSpec.Range r -> rule(spec, entity.fieldIndex(r.field()), v -> range(v, r.min(), r.max()), true);
            case RuleSpec.Length l -> rule(spec, entity.fieldIndex(l.field()), v -> length(v, l.min(), l.max()), true);
            case RuleSpec.Pattern p -> {
                Pattern regex = Pattern.compile(p.regex());
                yield rule(
                        spec,
                        entity.fieldIndex(p.field()),
                        v -> regex.matcher(v.toString()).matches() ? null : "'" + v + "' does not match",
                        true);
            }
            case RuleSpec.OneOf o -> {
                Set<String> allowed = new HashSet<>(o.values());
                yield rule(
                        spec,
                        entity.fieldIndex(o.field()),
                        v -> allowed.contains(v.toString()) ? null : "'" + v + "' is not one of " + o.values(),
                        true);
            }
            case RuleSpec.Compare c -> new CompareRule(c, entity.fieldIndex(c.left()), entity.fieldIndex(c.right()));
        };
    }

    private static Rule rule(RuleSpec spec, int field, Function<Object, String> check, boolean skipNull) {
        String name = spec.describe();
        String path = spec.path();
        return new Rule() {
            @Override
            public String check(Object[] record) {
                Object v = record[field];
                return skipNull && v == null ? null : check.apply(v);
            }

            @Override
            public String describe() {
                return name;
            }

            @Override
            public String path() {
                return path;
            }
        };
    }

    private static boolean isType(Object v, FieldType type) {
        return switch (type) {
            case STRING -> v instanceof String;
            case INTEGER -> v instanceof Long;
            case DECIMAL -> v instanceof BigDecimal || v instanceof Long;
            case BOOLEAN -> v instanceof Boolean;
            case DATE -> v instanceof LocalDate;
            case DATETIME -> v instanceof LocalDateTime;
            case TIMESTAMP -> v instanceof Instant;
        };
    }

    private static String range(Object v, BigDecimal min, BigDecimal max) {
        BigDecimal d = v instanceof BigDecimal b ? b : v instanceof Long l ? BigDecimal.valueOf(l) : null;
        if (d == null) {
            return "'" + v + "' is not a number";
        }
        if (min != null && d.compareTo(min) < 0) {
            return d.toPlainString() + " is below " + min.toPlainString();
        }
        if (max != null && d.compareTo(max) > 0) {
            return d.toPlainString() + " is above " + max.toPlainString();
        }
        return null;
    }

    private static String length(Object v, Integer min, Integer max) {
        String s = v.toString();
        int n = s.codePointCount(0, s.length());
        if (min != null && n < min) {
            return "length " + n + " is below " + min;
        }
        if (max != null && n > max) {
            return "length " + n + " is above " + max;
        }
        return null;
    }
}
