package io.shuttlebridge.core.internal;

/** Durations in words for warnings and terminals, in their two largest units. Internal. */
public final class DurationText {
    private static final long[] SIZES = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
    private static final String[] UNITS = {"d", "h", "min", "s"};

    private DurationText() {}

    /** {@code 3650 d 5 h}, {@code 10 min}, {@code 4 min 30 s}, {@code 750 ms}; the sign is dropped. */
    public static String of(long millis) {
        long left = Math.abs(millis);
        StringBuilder out = new StringBuilder();
        int parts = 0;
        for (int i = 0; i < SIZES.length && parts < 2; i++) {
            long n = left / SIZES[i];
            if (n > 0 || parts > 0) {
                if (n > 0) {
                    out.append(out.isEmpty() ? "" : " ").append(n).append(' ').append(UNITS[i]);
                }
                left -= n * SIZES[i];
                parts++;
            }
        }
        return out.isEmpty() ? left + " ms" : out.toString();
    }
}
