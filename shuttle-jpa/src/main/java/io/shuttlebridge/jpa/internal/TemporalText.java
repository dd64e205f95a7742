package io.shuttlebridge.jpa.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.time.temporal.Temporal;

/**
 * Date and time values as text, in the form a SQLite device keeps them and the sync engine carries
 * them (what it reads from a PostgreSQL hub): ISO-8601, instants in UTC with {@code Z}, to the
 * microsecond (PostgreSQL's precision) with the fraction's trailing zeros dropped:
 *
 * <table>
 *   <caption>Kind, Java value, text</caption>
 *   <tr><td>{@link #INSTANT}</td><td>Instant (OffsetDateTime, ZonedDateTime at UTC)</td><td>{@code 2025-01-02T03:04:05.1234Z}</td></tr>
 *   <tr><td>{@link #LOCAL_DATE_TIME}</td><td>LocalDateTime</td><td>{@code 2025-01-02T03:04:05.1234}</td></tr>
 *   <tr><td>{@link #LOCAL_DATE}</td><td>LocalDate</td><td>{@code 2025-01-02}</td></tr>
 *   <tr><td>{@link #LOCAL_TIME}</td><td>LocalTime</td><td>{@code 03:04:05.1234}</td></tr>
 * </table>
 *
 * Reading is lenient about what else may be in a column: a space instead of {@code T} (SQLite's
 * {@code datetime()}), an offset or none (taken as UTC), and whole numbers, which Hibernate's own
 * SQLite mapping wrote as milliseconds since 1970.
 */
enum TemporalText {
    INSTANT(Instant.class) {
        @Override
        String format(Object value) {
            Instant t = ((Instant) value).truncatedTo(ChronoUnit.MICROS);
            return t.atOffset(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        }

        @Override
        Instant parse(String text) {
            String s = dateTime(text);
            if (s.length() == 10) {
                return LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            return hasOffset(s)
                    ? OffsetDateTime.parse(s).toInstant()
                    : LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
        }

        @Override
        Instant fromMillis(long millis) {
            return Instant.ofEpochMilli(millis);
        }
    },
    LOCAL_DATE_TIME(LocalDateTime.class) {
        @Override
        String format(Object value) {
            return ((LocalDateTime) value).truncatedTo(ChronoUnit.MICROS).format(DateTimeFormatter.ISO_LOCAL_DATE_TIME);
        }

        @Override
        LocalDateTime parse(String text) {
            String s = dateTime(text);
            if (s.length() == 10) {
                return LocalDate.parse(s).atStartOfDay();
            }
            return hasOffset(s)
                    ? OffsetDateTime.parse(s)
                            .withOffsetSameInstant(ZoneOffset.UTC)
                            .toLocalDateTime()
                    : LocalDateTime.parse(s);
        }

        @Override
        LocalDateTime fromMillis(long millis) {
            return LocalDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
        }
    },
    LOCAL_DATE(LocalDate.class) {
        @Override
        String format(Object value) {
            return value.toString();
        }

        @Override
        LocalDate parse(String text) {
            String s = dateTime(text);
            return LocalDate.parse(s.length() > 10 ? s.substring(0, 10) : s);
        }

        @Override
        LocalDate fromMillis(long millis) {
            return LocalDate.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
        }
    },
    LOCAL_TIME(LocalTime.class) {
        @Override
        String format(Object value) {
            return ((LocalTime) value).truncatedTo(ChronoUnit.MICROS).format(DateTimeFormatter.ISO_LOCAL_TIME);
        }

        @Override
        LocalTime parse(String text) {
            return LocalTime.parse(text.trim());
        }

        @Override
        LocalTime fromMillis(long millis) {
            return LocalTime.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
        }
    };

    private final Class<? extends Temporal> javaClass;

    TemporalText(Class<? extends Temporal> javaClass) {
        this.javaClass = javaClass;
    }

    /** The Java class values of this kind are handed over as. */
    Class<? extends Temporal> javaClass() {
        return javaClass;
    }

    /** The text of a value of {@link #javaClass()}. */
    abstract String format(Object value);

    abstract Temporal parse(String text);

    abstract Temporal fromMillis(long millis);

    /**
     * The value a column holds, whatever SQLite handed back: text in any of the forms above, or a
     * number of milliseconds; null for null.
     *
     * @throws IllegalArgumentException naming the text when it is no date or time of this kind
     */
    Temporal read(Object stored) {
        if (stored == null) {
            return null;
        }
        if (stored instanceof Number n) {
            return fromMillis(n.longValue());
        }
        String text = stored.toString();
        try {
            return parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not an ISO-8601 " + javaClass.getSimpleName(), e);
        }
    }

    private static String dateTime(String text) {
        String s = text.trim();
        return s.length() > 10 && s.charAt(10) == ' ' ? s.substring(0, 10) + 'T' + s.substring(11) : s;
    }

    /** Whether an ISO date-time ends with an offset: {@code Z}, or a sign after the time part. */
    private static boolean hasOffset(String s) {
        int time = s.indexOf('T');
        return s.endsWith("Z") || s.endsWith("z") || s.indexOf('+', time) > 0 || s.indexOf('-', time) > 0;
    }
}
