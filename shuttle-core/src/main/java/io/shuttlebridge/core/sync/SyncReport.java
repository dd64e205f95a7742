package io.shuttlebridge.core.sync;

import io.shuttlebridge.core.id.Hlc;
import java.util.List;
import java.util.Objects;

/**
 * What one {@code pullThenPush} did.
 *
 * @param restamped rows this device pushed stamped too far ahead of the hub's clock, which the hub
 *     re-stamped to its own and this device adopted: its clock runs ahead and should be fixed
 */
public record SyncReport(
        int pulled,
        int applied,
        int duplicates,
        int superseded,
        int pending,
        int conflicts,
        int pushed,
        int pushDuplicates,
        boolean resynced,
        long lastPulled,
        long lastPushed,
        List<Restamped> restamped) {

    public SyncReport {
        restamped = List.copyOf(restamped);
    }

    /** A report in which nothing was re-stamped. */
    public SyncReport(
            int pulled,
            int applied,
            int duplicates,
            int superseded,
            int pending,
            int conflicts,
            int pushed,
            int pushDuplicates,
            boolean resynced,
            long lastPulled,
            long lastPushed) {
        this(
                pulled,
                applied,
                duplicates,
                superseded,
                pending,
                conflicts,
                pushed,
                pushDuplicates,
                resynced,
                lastPulled,
                lastPushed,
                List.of());
    }

    public int changed() {
        return applied + pushed;
    }

    /**
     * A row whose write this device pushed stamped {@code aheadMillis} ahead of the hub's clock, more
     * than the hub's skew bound: the hub applied it under {@code newHlc}, a stamp of its own clock, and
     * the row here now carries that stamp instead of {@code hlc}.
     *
     * @param key the row's primary-key values in key order
     */
    public record Restamped(String table, List<Object> key, long hlc, long newHlc, long aheadMillis) {
        public Restamped {
            Objects.requireNonNull(table, "table");
            key = List.copyOf(key);
        }

        /** One line for a log or a terminal, naming the row and how far ahead this device's clock was. */
        public String describe() {
            return "the hub re-stamped " + table + " " + key + ": this device's clock was " + aheadText(aheadMillis)
                    + " ahead of the hub's when the row was written (stamped " + Hlc.toString(hlc) + ", now "
                    + Hlc.toString(newHlc) + "); fix this device's clock (NTP)";
        }

        /** A duration in its two largest units: {@code 3650 d 5 h}, {@code 10 min}, {@code 4 min 30 s}, {@code 750 ms}. */
        static String aheadText(long millis) {
            long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
            String[] units = {"d", "h", "min", "s"};
            StringBuilder out = new StringBuilder();
            int parts = 0;
            long left = millis;
            for (int i = 0; i < sizes.length && parts < 2; i++) {
                long n = left / sizes[i];
                if (n > 0 || parts > 0) {
                    if (n > 0) {
                        out.append(out.isEmpty() ? "" : " ")
                                .append(n)
                                .append(' ')
                                .append(units[i]);
                    }
                    left -= n * sizes[i];
                    parts++;
                }
            }
            return out.isEmpty() ? millis + " ms" : out.toString();
        }
    }
}
