package io.shuttlebridge.core.sync;

import io.shuttlebridge.core.id.Hlc;
import io.shuttlebridge.core.internal.DurationText;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * What one {@code pullThenPush} did.
 *
 * @param restamped rows this device pushed stamped too far ahead of the hub's clock, which the hub
 *     re-stamped to its own and this device adopted: its clock runs ahead and should be fixed
 * @param rejected changes the hub refused (kept on this device as rejected writes: {@link
 *     SyncEngine#rejectedWrites})
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
        List<Restamped> restamped,
        int rejected) {

    public SyncReport {
        restamped = List.copyOf(restamped);
    }

    /** A report in which the hub refused nothing. */
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
            long lastPushed,
            List<Restamped> restamped) {
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
                restamped,
                0);
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
            key = Collections.unmodifiableList(new ArrayList<>(key)); // keys may hold null parts
        }

        /** One line for a log or a terminal, naming the row and how far ahead this device's clock was. */
        public String describe() {
            return "the hub re-stamped " + table + " " + key + ": this device's clock was "
                    + DurationText.of(aheadMillis)
                    + " ahead of the hub's when the row was written (stamped " + Hlc.toString(hlc) + ", now "
                    + Hlc.toString(newHlc) + "); fix this device's clock (NTP)";
        }
    }
}
