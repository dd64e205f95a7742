package io.shuttlebridge.core.internal.sync;

import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Stamp;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.change.FeedEntry;
import io.shuttlebridge.core.internal.feed.FeedReader;
import io.shuttlebridge.core.sync.PushResult;
import io.shuttlebridge.core.sync.SyncReport;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A device adopting the stamps its hub gave the changes it pushed stamped too far ahead of the hub's
 * clock ({@link PushResult#restamped()}): the feed entry of each such row, where it still holds the
 * pushed write, takes the hub's stamp, and the row's column stamps later than that are brought down to
 * it, as the hub did. The row then no longer carries a stamp that would win here over writes the hub
 * holds as later, and replicas agree on it. Each row is named in a warning. Internal.
 */
final class RestampAdoption {
    private static final Logger log = LoggerFactory.getLogger(RestampAdoption.class);

    /** Warnings logged per answer; the rest are counted in one line. */
    private static final int LOGGED = 10;

    /** A pushed entry the hub re-stamped: its seq here, and the row as the report names it. */
    record Adopted(long seq, SyncReport.Restamped row) {}

    private RestampAdoption() {}

    /** The entries of a pushed page the hub re-stamped, matched by the stamp they were pushed with. */
    static List<Adopted> match(FeedReader.Page page, PushResult r) {
        if (r.restamped().isEmpty()) {
            return List.of();
        }
        Map<Stamp, FeedEntry> pushed = new HashMap<>();
        for (FeedEntry e : page.entries()) {
            pushed.put(e.change().stamp(), e);
        }
        List<Adopted> out = new ArrayList<>();
        for (PushResult.Restamped x : r.restamped()) {
            FeedEntry e = pushed.get(x.stamp());
            if (e != null) {
                Change ch = e.change();
                out.add(new Adopted(
                        e.seq(),
                        new SyncReport.Restamped(ch.table(), ch.key(), ch.hlc(), x.newHlc(), x.aheadMillis())));
            }
        }
        return out;
    }

    /** Logs one warning per re-stamped row (the first few; then how many more). */
    static void warn(List<Adopted> adopted) {
        for (int i = 0; i < Math.min(LOGGED, adopted.size()); i++) {
            log.warn(adopted.get(i).row().describe());
        }
        if (adopted.size() > LOGGED) {
            log.warn(
                    "the hub re-stamped {} more row(s) written while this device's clock ran ahead",
                    adopted.size() - LOGGED);
        }
    }

    /** Gives each entry that still holds the pushed write the hub's stamp (in the push's acknowledgement). */
    static void adopt(Connection c, List<Adopted> adopted) throws SQLException {
        for (Adopted a : adopted) {
            long newHlc = a.row().newHlc();
            Jdbc.update(
                    c,
                    "UPDATE _shuttle_colclock SET hlc = ? WHERE hlc > ? AND EXISTS (SELECT 1 FROM _shuttle_feed f"
                            + " WHERE f.seq = ? AND f.hlc = ? AND f.tbl = _shuttle_colclock.tbl"
                            + " AND f.pk = _shuttle_colclock.pk)",
                    newHlc,
                    newHlc,
                    a.seq(),
                    a.row().hlc());
            Jdbc.update(
                    c,
                    "UPDATE _shuttle_feed SET hlc = ? WHERE seq = ? AND hlc = ?",
                    newHlc,
                    a.seq(),
                    a.row().hlc());
        }
    }
}
