package io.shuttlebridge.core.id;

import java.util.Locale;

/** Formatting of durations for error messages, shared by the id and clock classes. */
final class TimeText {

    private TimeText() {}

    /** Formats a number of milliseconds as seconds with millisecond precision, e.g. {@code 10.000 s}. */
    static String seconds(long millis) {
        if (millis < 0) {
            return "-" + seconds(-millis);
        }
        return String.format(Locale.ROOT, "%d.%03d s", millis / 1000, millis % 1000);
    }
}
