package io.shuttlebridge.bridge.internal.normalize;

import io.shuttlebridge.bridge.definition.FieldSpec;
import io.shuttlebridge.bridge.definition.FieldType;
import io.shuttlebridge.bridge.internal.record.RecordRejection;
import io.shuttlebridge.bridge.internal.record.Stage;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.List;

/**
 * Layer 4: dates and times to ISO 8601 values (LocalDate, LocalDateTime, Instant). Only the declared
 * patterns are tried, strictly (no day/month guessing; {@code 31.02.2024} is refused); without
 * patterns only ISO 8601 is accepted. A timestamp without an offset needs the field's declared zone.
 */
final class DateTimeStandardization implements NormalizerLayer {
    private final FieldSpec[] fields;
    private final DateTimeFormatter[][] formatters;

    DateTimeStandardization(List<FieldSpec> specs) {
        fields = specs.toArray(FieldSpec[]::new);
        formatters = new DateTimeFormatter[fields.length][];
        for (int i = 0; i < fields.length; i++) {
            formatters[i] = fields[i].formats().stream()
                    .map(p -> DateTimeFormatter.ofPattern(strictYear(p)).withResolverStyle(ResolverStyle.STRICT))
                    .toArray(DateTimeFormatter[]::new);
        }
    }

    @Override
    public String name() {
        return "datetime-standardization";
    }

    @Override
    public Object apply(int field, Object value) {
        FieldType type = fields[field].type();
        if (type == FieldType.TIMESTAMP && value instanceof LocalDateTime local) {
            return atZone(field, local, local.toString());
        }
        if (!(value instanceof String s)) {
            return value;
        }
        if (type == FieldType.DATE && formatters[field].length == 0 && s.length() == 10 && isIsoDateShape(s)) {
            try {
                return LocalDate.of(
                        Integer.parseInt(s, 0, 4, 10), Integer.parseInt(s, 5, 7, 10), Integer.parseInt(s, 8, 10, 10));
            } catch (DateTimeException e) {
                throw reject(field, s, "ISO 8601 (no such day)");
            }
        }
        return switch (type) {
            case DATE -> LocalDate.from(parse(field, s, DateTimeFormatter.ISO_LOCAL_DATE));
            case DATETIME -> LocalDateTime.from(parse(field, s, DateTimeFormatter.ISO_LOCAL_DATE_TIME));
            case TIMESTAMP -> timestamp(field, s);
            default -> value;
        };
    }

    private Instant timestamp(int field, String s) {
        TemporalAccessor t = parse(field, s, DateTimeFormatter.ISO_DATE_TIME);
        if (t.query(TemporalQueries.offset()) != null) {
            return OffsetDateTime.from(t).toInstant();
        }
        return atZone(field, LocalDateTime.from(t), s);
    }

    private Instant atZone(int field, LocalDateTime local, String input) {
        ZoneId zone = fields[field].zone();
        if (zone == null) {
            throw new RecordRejection(
                    Stage.NORMALIZE,
                    name(),
                    fields[field].name() + ": '" + input + "' has no offset and the field declares no zone");
        }
        return local.atZone(zone).toInstant();
    }

    private TemporalAccessor parse(int field, String s, DateTimeFormatter iso) {
        String text = s.strip();
        DateTimeFormatter[] declared = formatters[field];
        if (declared.length == 0) {
            try {
                return iso.parse(text);
            } catch (DateTimeParseException e) {
                throw reject(field, s, "ISO 8601 (declare format: to read other layouts)");
            }
        }
        for (DateTimeFormatter f : declared) {
            try {
                return f.parse(text);
            } catch (DateTimeParseException e) {
                // try the next declared pattern
            }
        }
        throw reject(field, s, "in the declared format " + fields[field].formats());
    }

    private RecordRejection reject(int field, String value, String expected) {
        return new RecordRejection(
                Stage.NORMALIZE,
                name(),
                fields[field].name() + ": '" + value + "' is not a valid "
                        + fields[field].type().yamlName() + " " + expected);
    }

    private static boolean isIsoDateShape(String s) {
        for (int i = 0; i < 10; i++) {
            char c = s.charAt(i);
            if (i == 4 || i == 7 ? c != '-' : c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** Strict resolution needs the proleptic year 'u' rather than year-of-era 'y'. */
    private static String strictYear(String pattern) {
        StringBuilder out = new StringBuilder(pattern.length());
        boolean quoted = false;
        for (char c : pattern.toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
            }
            out.append(!quoted && c == 'y' ? 'u' : c);
        }
        return out.toString();
    }
}
