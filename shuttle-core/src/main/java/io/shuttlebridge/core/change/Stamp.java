package io.shuttlebridge.core.change;

import java.util.Comparator;

/**
 * When and where a write was made: the hybrid logical clock value and the origin node. Stamps
 * are totally ordered: by hlc, then by origin as the tie-break.
 */
public record Stamp(long hlc, String origin) implements Comparable<Stamp> {
    private static final Comparator<Stamp> ORDER =
            Comparator.comparingLong(Stamp::hlc).thenComparing(Stamp::origin);

    @Override
    public int compareTo(Stamp other) {
        return ORDER.compare(this, other);
    }

    public boolean newerThan(Stamp other) {
        return other == null || compareTo(other) > 0;
    }
}
