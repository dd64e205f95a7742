package io.shuttlebridge.core.internal.sync.apply;

import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.id.MillisClock;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * A hub's clock skew bound applied to a pushed batch, before anything of it is observed, ordered or
 * applied: each change stamped beyond the bound ({@link ClockBound}) takes the hub's next stamp, or the
 * stamp it was given when it was pushed before ({@link RestampStore}), and the batch records it for the
 * push's answer. A batch with every stamp within the bound is returned as it is, at the cost of reading
 * the clock once. Internal.
 */
final class Restamper {
    private final ClockBound bound;
    private final MillisClock clock;

    Restamper(ClockBound bound, MillisClock clock) {
        this.bound = bound;
        this.clock = clock;
    }

    /** The batch's changes in their order, those beyond the bound re-stamped. */
    List<Change> bound(Batch batch, List<Change> changes) throws SQLException {
        long now = clock.millis();
        List<Change> out = null;
        for (int i = 0; i < changes.size(); i++) {
            Change pushed = changes.get(i);
            long ahead = bound.beyond(pushed, now);
            if (ahead == 0) {
                if (out != null) {
                    out.add(pushed);
                }
                continue;
            }
            if (out == null) {
                out = new ArrayList<>(changes.subList(0, i));
            }
            OptionalLong known = RestampStore.find(batch.connection(), pushed.stamp());
            long newHlc = known.isPresent() ? known.getAsLong() : batch.freshStamp();
            if (known.isEmpty()) {
                RestampStore.remember(batch.connection(), pushed.stamp(), newHlc, clock);
            }
            Change applied = ClockBound.restamped(pushed, newHlc);
            batch.restamped(i, pushed, applied, ahead);
            out.add(applied);
        }
        return out == null ? changes : out;
    }
}
