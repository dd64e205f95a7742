package io.shuttlebridge.core.internal.sync.apply;

import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Stamp;
import io.shuttlebridge.core.id.Hlc;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A hub's clock skew bound (DESIGN §8) as pure functions: whether a pushed change is stamped further
 * ahead of the hub's clock than the bound, and the change under the stamp the hub gives it instead. A
 * change whose own stamp or any column stamp is beyond the bound is re-stamped whole: its stamp becomes
 * the new one and every column stamp later than that is brought down to it, so that no part of it keeps
 * a stamp that would outlast the row's later writes. Row, values, origin, version and base stay as they
 * are. Internal.
 *
 * @param maxAheadMillis how far ahead of the hub's clock a stamp may be, in milliseconds
 */
record ClockBound(long maxAheadMillis) {

    /** How far the change's latest stamp is ahead of {@code nowMillis} when that is more than the bound; 0 when it is within. */
    long beyond(Change r, long nowMillis) {
        long latest = r.hlc();
        for (Stamp s : r.columnStamps().values()) {
            latest = Math.max(latest, s.hlc());
        }
        long ahead = Hlc.millis(latest) - nowMillis;
        return ahead > maxAheadMillis ? ahead : 0;
    }

    /** {@code r} under the stamp {@code newHlc} (same origin), its column stamps later than that brought down to it. */
    static Change restamped(Change r, long newHlc) {
        Map<String, Stamp> stamps = r.columnStamps();
        if (!stamps.isEmpty()) {
            stamps = new LinkedHashMap<>(stamps);
            stamps.replaceAll((col, s) -> s.hlc() > newHlc ? new Stamp(newHlc, s.origin()) : s);
        }
        return new Change(r.table(), r.key(), r.op(), r.values(), newHlc, r.origin(), r.version(), r.base(), stamps);
    }
}
