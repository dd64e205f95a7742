package io.shuttlebridge.core.internal.sync;

import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.MetaKeys;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import io.shuttlebridge.core.internal.change.FeedEntry;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.feed.ChangeWriter;
import io.shuttlebridge.core.internal.feed.FeedReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rows a whole resync keeps that the hub's snapshot no longer carried, since rows staying here refer to them:
 * the hub lost them with a restore of it (and their writer lost them too, restored from an older backup, or
 * reset), so this device holds the last copy. Each goes back to the hub, as a relay of the original write:
 * its feed entry is written again at the feed's top, with its stamp (hlc and origin), version and base as
 * they were and no sender, so the next push takes it, and it is listed in {@code _shuttle_resent} (by its row
 * and stamp) until the hub has acknowledged it, so that the push tells the hub it is a copy ({@link
 * io.shuttlebridge.core.sync.Standing#resent}). The hub takes a copy where it holds nothing of the row, counts
 * it as a duplicate where it holds that very write (its writer pushed it again first), and otherwise keeps
 * what it holds and sends it again: never a new write of this device, a rejection or a conflict record.
 *
 * <p>The other way out, removing the rows that refer to the lost row everywhere, would take back writes the
 * hub had acknowledged (the referring rows) for a row it had acknowledged too: the copy keeps both. Internal.
 */
final class ResentCopies {
    private static final Logger log = LoggerFactory.getLogger(ResentCopies.class);
    /** Set in {@code _shuttle_meta} while {@code _shuttle_resent} lists copies not acknowledged yet. */
    private static final String PENDING = "resent_copies";

    private ResentCopies() {}

    /**
     * Lists the rows whose feed entries {@code f} satisfy {@code kept} (SQL over {@code f}, with the one argument
     * {@code arg}) as copies to resend, and writes their entries again at the feed's top for the next push;
     * returns how many.
     */
    static int resend(Connection c, Dialect dialect, SyncSchema schema, String kept, Object arg) throws SQLException {
        List<Change> copies = new ArrayList<>();
        FeedReader reader = new FeedReader(dialect, schema);
        long after = 0;
        while (true) {
            FeedReader.Page page = reader.readFolded(
                    c, FeedReader.Query.after(after, 1000).where(kept, java.util.Collections.singletonList(arg)));
            page.entries().stream().map(FeedEntry::change).forEach(copies::add);
            if (!page.more()) {
                break;
            }
            after = page.lastSeq();
        }
        if (copies.isEmpty()) {
            return 0;
        }
        Jdbc.execute(
                c,
                "CREATE TABLE IF NOT EXISTS _shuttle_resent AS SELECT tbl, pk, hlc, origin FROM _shuttle_feed WHERE 1 = 0");
        Jdbc.update(
                c,
                "INSERT INTO _shuttle_resent (tbl, pk, hlc, origin) SELECT f.tbl, f.pk, f.hlc, f.origin"
                        + " FROM _shuttle_feed f WHERE " + kept,
                arg);
        ChangeWriter writer = new ChangeWriter(dialect, schema);
        writer.begin(c);
        boolean done = false;
        try {
            writer.via(null); // no sender: the push takes it, as it takes the writes a tier hub relays
            for (Change ch : copies) {
                writer.writeFeed(schema.require(ch.table()), ch, ch.version());
            }
            done = true;
        } finally {
            if (done) {
                writer.end();
            } else {
                writer.discard();
            }
        }
        if (!pending(c)) {
            MetaKeys.put(c, PENDING, "1");
        }
        log.info(
                "resync: {} row(s) the hub no longer holds stay here (rows of this device refer to them): sending"
                        + " them back to the hub as the writes they were",
                copies.size());
        return copies.size();
    }

    /** The positions in {@code page} (a page of this device's push) of the entries that are copies to resend. */
    static Set<Integer> positions(Connection c, FeedReader.Page page, long after) throws SQLException {
        if (page.entries().isEmpty() || !pending(c)) {
            return Set.of();
        }
        Set<Long> seqs = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT f.seq FROM _shuttle_feed f JOIN _shuttle_resent k"
                + " ON k.tbl = f.tbl AND k.pk = f.pk AND k.hlc = f.hlc AND k.origin = f.origin"
                + " WHERE f.seq > ? AND f.seq <= ?")) {
            ps.setLong(1, after);
            ps.setLong(2, page.lastSeq());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    seqs.add(rs.getLong(1));
                }
            }
        }
        Set<Integer> out = new HashSet<>();
        for (int i = 0; i < page.entries().size(); i++) {
            if (seqs.contains(page.entries().get(i).seq())) {
                out.add(i);
            }
        }
        return out;
    }

    /** The hub acknowledged the push up to {@code through}: the copies it took (or written again since) are done. */
    static void acknowledged(Connection c, long through) throws SQLException {
        if (!pending(c)) {
            return;
        }
        Jdbc.update(
                c,
                "DELETE FROM _shuttle_resent WHERE NOT EXISTS (SELECT 1 FROM _shuttle_feed f"
                        + " WHERE f.tbl = _shuttle_resent.tbl AND f.pk = _shuttle_resent.pk"
                        + " AND f.hlc = _shuttle_resent.hlc AND f.origin = _shuttle_resent.origin AND f.seq > ?)",
                through);
        if (Jdbc.queryLong(c, "SELECT count(*) FROM _shuttle_resent").orElse(0L) == 0) {
            MetaKeys.remove(c, PENDING);
        }
    }

    private static boolean pending(Connection c) throws SQLException {
        return MetaKeys.get(c, PENDING).isPresent();
    }
}
