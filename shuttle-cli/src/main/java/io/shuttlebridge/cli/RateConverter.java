package io.shuttlebridge.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Request rates on the command line: {@code 50} or {@code 50/s}, requests a second, at least 1. */
public final class RateConverter implements ITypeConverter<Integer> {
    private static final Pattern RATE = Pattern.compile("(\\d{1,9})\\s*(/\\s*s)?");

    @Override
    public Integer convert(String value) {
        Matcher m = RATE.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (!m.matches() || Integer.parseInt(m.group(1)) < 1) {
            throw new TypeConversionException("'" + value
                    + "' is not a request rate: write it as requests a second, like 50 or 50/s (at least 1)");
        }
        return Integer.parseInt(m.group(1));
    }
}
