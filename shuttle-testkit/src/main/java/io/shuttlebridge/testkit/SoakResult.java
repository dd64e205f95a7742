package io.shuttlebridge.testkit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a {@link Soak} did and found: one sample a simulated day of the rows of every {@code _shuttle_}
 * table, on the hub and on the devices, and the checks at the end.
 *
 * @param days one sample per simulated day, at its end
 * @param checks what was checked, one line each
 * @param unexpectedErrors errors during syncs that nothing the soak did explains (first few)
 * @param differences first differences between a device and the hub after quiescence ({@link Convergence})
 * @param lostWrites first rows where the hub does not hold the newest acknowledged write (LWW notes)
 * @param unbounded the tables whose rows kept growing after the retention window: on the last day more
 *     than twice what they held on the reference day (the node, peer and meta tables: plus a few rows per
 *     device enrolled since), one line each; empty when every table stayed bounded
 * @param referenceDay the day the last day is compared with (0 when the soak is too short to judge)
 * @param elapsedMillis how long the run took, in real time
 * @param kept the folder holding the databases, or null when they were deleted
 */
public record SoakResult(
        SoakConfig config,
        List<Day> days,
        List<String> checks,
        List<String> unexpectedErrors,
        List<String> differences,
        List<String> lostWrites,
        List<String> unbounded,
        int referenceDay,
        long elapsedMillis,
        Path kept) {

    /**
     * One day's sample.
     *
     * @param writes application writes made so far (they grow with the days)
     * @param rows rows of the synced tables on the hub
     * @param devices devices syncing now; {@code enrolled} every device cloned so far; {@code retired}
     *     devices the hub retired so far
     * @param hub rows of each {@code _shuttle_} table on the hub, and {@code tombstones} (deletes in its feed)
     * @param device the most rows of each {@code _shuttle_} table on any device syncing now, and {@code
     *     tombstones}
     */
    public record Day(
            int day,
            long writes,
            int rows,
            int devices,
            int enrolled,
            int retired,
            Map<String, Integer> hub,
            Map<String, Integer> device) {
        /** Rows of the {@code _shuttle_} tables on the hub (tombstones counted once, in the feed). */
        public int hubMetadata() {
            return total(hub);
        }

        /** Rows of the {@code _shuttle_} tables on the device that holds the most. */
        public int deviceMetadata() {
            return total(device);
        }

        private static int total(Map<String, Integer> counts) {
            return counts.entrySet().stream()
                    .filter(e -> !e.getKey().equals(TOMBSTONES))
                    .mapToInt(Map.Entry::getValue)
                    .sum();
        }
    }

    /** The key of the tombstone count in {@link Day#hub()} and {@link Day#device()}. */
    public static final String TOMBSTONES = "tombstones";

    public boolean bounded() {
        return unbounded.isEmpty();
    }

    public boolean passed() {
        return unexpectedErrors.isEmpty() && differences.isEmpty() && lostWrites.isEmpty() && unbounded.isEmpty();
    }

    /**
     * The samples as a compact table: per day the writes so far, the rows, the devices, then on the hub its
     * feed (tombstones among it), peers, nodes, meta, conflicts and the other tables' rows, and the most any
     * device holds of its feed (tombstones), meta, conflicts and the rest.
     */
    public List<String> table() {
        List<String> out = new ArrayList<>();
        out.add(String.format(
                Locale.ROOT,
                "%4s %7s %5s %4s | %-16s %5s %5s %5s %5s %5s %6s | %-16s %5s %5s %5s %6s",
                "day",
                "writes",
                "rows",
                "devs",
                "hub feed (tomb)",
                "peers",
                "nodes",
                "meta",
                "confl",
                "other",
                "total",
                "device feed (tomb)",
                "meta",
                "confl",
                "other",
                "total"));
        for (Day d : days) {
            out.add(String.format(
                    Locale.ROOT,
                    "%4d %7d %5d %4d | %-16s %5d %5d %5d %5d %5d %6d | %-16s %5d %5d %5d %6d",
                    d.day(),
                    d.writes(),
                    d.rows(),
                    d.devices(),
                    feed(d.hub()),
                    get(d.hub(), "_shuttle_peers"),
                    get(d.hub(), "_shuttle_nodes"),
                    get(d.hub(), "_shuttle_meta"),
                    get(d.hub(), "_shuttle_conflicts"),
                    other(d.hub(), "_shuttle_peers", "_shuttle_nodes"),
                    d.hubMetadata(),
                    feed(d.device()),
                    get(d.device(), "_shuttle_meta"),
                    get(d.device(), "_shuttle_conflicts"),
                    other(d.device()),
                    d.deviceMetadata()));
        }
        return out;
    }

    private static String feed(Map<String, Integer> counts) {
        return get(counts, "_shuttle_feed") + " (" + get(counts, TOMBSTONES) + ")";
    }

    private static int get(Map<String, Integer> counts, String key) {
        return counts.getOrDefault(key, 0);
    }

    private static int other(Map<String, Integer> counts, String... alsoShown) {
        List<String> shown =
                new ArrayList<>(List.of("_shuttle_feed", "_shuttle_meta", "_shuttle_conflicts", TOMBSTONES));
        shown.addAll(List.of(alsoShown));
        return counts.entrySet().stream()
                .filter(e -> !shown.contains(e.getKey()))
                .mapToInt(Map.Entry::getValue)
                .sum();
    }
}
