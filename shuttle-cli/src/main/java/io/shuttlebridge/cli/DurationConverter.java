package io.shuttlebridge.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * A duration option: a whole number with a unit, {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h},
 * {@code 1d}, or ISO-8601 ({@code PT5M}), as the Bridge's pipeline definitions write durations.
 */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    private static final Pattern AMOUNT = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    @Override
    public Duration convert(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("p")) {
                return nonNegative(text, Duration.parse(t.toUpperCase(Locale.ROOT)));
            }
            Matcher m = AMOUNT.matcher(t);
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            }
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            // said below
        }
        throw new CommandLine.TypeConversionException("'" + text
                + "' is not a duration: use a whole number with ms, s, m, h or d (30s, 5m) or ISO-8601 (PT5M)");
    }

    private static Duration nonNegative(String text, Duration d) {
        if (d.isNegative()) {
            throw new CommandLine.TypeConversionException(
                    "'" + text + "' is negative: a duration of zero or more is needed");
        }
        return d;
    }
}
