package io.shuttlebridge.testkit;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link Soak} runs: {@code days} simulated days of a hub and {@code devices} devices at a time
 * writing {@code writesPerDay} writes a day in all, each device keeping at most {@code rowsPerDevice} notes
 * of its own (an insert beyond deletes its oldest, so the rows stay few while the writes pile up); every
 * {@code churnEveryDays} days one device goes silent for good and a new one is cloned; the hub's retention
 * ({@code shuttle serve}'s) runs every {@code purgeEvery} of simulated time (zero: never), retiring devices
 * silent for {@code retireAfter} and forgetting records ended {@code keepHistory} ago; devices keep what is
 * over as long ({@code SyncEngine.Builder.keepHistory}: acknowledged tombstones, records of what ended). The seed makes every choice; {@code keep} keeps the files
 * (null: a temporary folder, deleted afterwards).
 */
public record SoakConfig(
        int days,
        int devices,
        int writesPerDay,
        int rowsPerDevice,
        int churnEveryDays,
        Duration purgeEvery,
        Duration retireAfter,
        Duration keepHistory,
        long seed,
        Path keep) {
    public SoakConfig {
        positive("days", days);
        positive("devices", devices);
        positive("writesPerDay", writesPerDay);
        positive("rowsPerDevice", rowsPerDevice);
        positive("churnEveryDays", churnEveryDays);
        if (devices > SimulationConfig.MAX_REPLICAS) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT,
                    "devices must be at most " + SimulationConfig.MAX_REPLICAS + ", got " + devices);
        }
        notNegative("purgeEvery", purgeEvery);
        notNegative("retireAfter", retireAfter);
        notNegative("keepHistory", keepHistory);
        if (retireAfter.isZero() || keepHistory.isZero()) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT, "a soak needs a retirement time and a keeping time above zero");
        }
    }

    private static void positive(String what, int n) {
        if (n < 1) {
            throw new ShuttleException(ErrorCode.INVALID_ARGUMENT, what + " must be 1 or more, got " + n);
        }
    }

    private static void notNegative(String what, Duration d) {
        if (Objects.requireNonNull(d, what).isNegative()) {
            throw new ShuttleException(ErrorCode.INVALID_ARGUMENT, what + " must be zero or more, got " + d);
        }
    }

    /** The days after which every retention window has passed once: the soak's metadata is judged from there. */
    public int windowDays() {
        long longest = Math.max(retireAfter.toMillis(), keepHistory.toMillis());
        return (int) Math.ceil(longest / (double) Duration.ofDays(1).toMillis());
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Settings with defaults: 30 days, 4 devices, 60 writes a day, 12 notes per device, a device replaced
     * every 3 days, the hub's purge every hour, devices retired after 7 silent days, history kept 7 days.
     */
    public static final class Builder {
        private int days = 30;
        private int devices = 4;
        private int writesPerDay = 60;
        private int rowsPerDevice = 12;
        private int churnEveryDays = 3;
        private Duration purgeEvery = Duration.ofHours(1);
        private Duration retireAfter = Duration.ofDays(7);
        private Duration keepHistory = Duration.ofDays(7);
        private long seed;
        private Path keep;

        private Builder() {}

        public Builder days(int n) {
            days = n;
            return this;
        }

        public Builder devices(int n) {
            devices = n;
            return this;
        }

        public Builder writesPerDay(int n) {
            writesPerDay = n;
            return this;
        }

        public Builder rowsPerDevice(int n) {
            rowsPerDevice = n;
            return this;
        }

        public Builder churnEveryDays(int n) {
            churnEveryDays = n;
            return this;
        }

        /** How often the hub's retention runs, in simulated time; zero: never (tombstones are never purged). */
        public Builder purgeEvery(Duration d) {
            purgeEvery = d;
            return this;
        }

        public Builder retireAfter(Duration d) {
            retireAfter = d;
            return this;
        }

        public Builder keepHistory(Duration d) {
            keepHistory = d;
            return this;
        }

        public Builder seed(long s) {
            seed = s;
            return this;
        }

        public Builder keep(Path folder) {
            keep = folder;
            return this;
        }

        public SoakConfig build() {
            return new SoakConfig(
                    days,
                    devices,
                    writesPerDay,
                    rowsPerDevice,
                    churnEveryDays,
                    purgeEvery,
                    retireAfter,
                    keepHistory,
                    seed,
                    keep);
        }
    }
}
