package io.shuttlebridge.bench.load;

import java.util.Arrays;
import java.util.Collection;

/**
 * Latencies in nanoseconds, recorded by one thread into a growing array (no locking, no boxing),
 * then merged with the other threads' and sorted once to read percentiles.
 */
final class Samples {
    private long[] values = new long[256];
    private int size;

    void add(long nanos) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = nanos;
    }

    int size() {
        return size;
    }

    /** All of them, sorted, for {@link Percentiles}. */
    static Percentiles merge(Collection<Samples> all) {
        int n = 0;
        for (Samples s : all) {
            n += s.size;
        }
        long[] out = new long[n];
        int at = 0;
        for (Samples s : all) {
            System.arraycopy(s.values, 0, out, at, s.size);
            at += s.size;
        }
        Arrays.sort(out);
        return new Percentiles(out);
    }

    /** Percentiles of a sorted array of nanoseconds, by nearest rank, in milliseconds. */
    record Percentiles(long[] sorted) {
        int count() {
            return sorted.length;
        }

        /** The p-th percentile in milliseconds (nearest rank); NaN when there are no samples. */
        double ms(double p) {
            if (sorted.length == 0) {
                return Double.NaN;
            }
            int idx = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, idx))] / 1e6;
        }

        double p50() {
            return ms(50);
        }

        double p99() {
            return ms(99);
        }

        double max() {
            return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6;
        }
    }
}
