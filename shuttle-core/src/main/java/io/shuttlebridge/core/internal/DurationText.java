package io.shuttlebridge.core.internal;

/** Durations in words for warnings and terminals, in their two largest units, rounded to the smaller. Internal. */
public final class DurationText {
    private static final long[] SIZES = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
    private static final String[] UNITS = {"d", "h", "min", "s"};

    private DurationText() {}

    /** {@code 3650 d 5 h}, {@code 10 min} (for 9 min 59.7 s too), {@code 4 min 30 s}, {@code 750 ms}; the sign is dropped. */
    public static String of(long millis) {
        long left = Math.abs(millis);
        int top = 0;
        while (top < SIZES.length && left < SIZES[top]) {
            top++;
        }
        if (top == SIZES.length) {
            return left + " ms";
        }
        long step = SIZES[Math.min(top + 1, SIZES.length - 1)];
        left = (left + step / 2) / step * step;
        if (top > 0 && left >= SIZES[top - 1]) {
            top--; // rounding carried into the larger unit
        }
        StringBuilder out = new StringBuilder();
        for (int i = top; i <= Math.min(top + 1, SIZES.length - 1); i++) {
            long n = left / SIZES[i];
            if (n > 0) {
                out.append(out.isEmpty() ? "" : " ").append(n).append(' ').append(UNITS[i]);
            }
            left -= n * SIZES[i];
        }
        return out.toString();
    }
}
