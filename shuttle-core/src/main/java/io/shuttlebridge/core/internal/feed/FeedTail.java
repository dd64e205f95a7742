package io.shuttlebridge.core.internal.feed;

import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.internal.change.FeedEntry;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The end of the feed as the pulls of many devices without sync rules share it: its entries read once
 * and each encoded once, from which every device's page is cut. Each device pulls from where it was,
 * so most ask for nearly the same stretch of feed, each from its own cursor; the tail holds that
 * stretch, from the oldest cursor it was asked for ({@code lo}) to the feed position it was last read
 * at ({@code hi}). A pull reads only what the feed gained since ({@code hi} onward, one statement in the
 * pull's snapshot), adds it, and takes its page from the tail: the first {@code limit} entries after its
 * cursor that the feed held at the pull's position, less the ones the device sent (write watermarking).
 * That is the page a read of the feed would give, byte for byte: a row's entry is the one at its latest
 * seq (a rewritten row's entry moves to a new seq), so an entry at a seq carries the values of the write
 * that put it there, and one the tail holds is dropped from the pages of positions at or past the seq
 * that replaced it.
 *
 * <p>A pull that the tail cannot serve (a cursor before it, another schema version, the feed gone back
 * or changed under it, as a restored database would, or too much new since) reads its page as before;
 * when that page reaches the feed's end, it becomes the tail. Entries of rows gone by the time they are
 * read (local deletes not folded yet) are never kept. The tail keeps at most {@code maxEntries} entries
 * and {@code maxBytes} of their encodings, dropping the oldest first. Only for pulls whose answer is the
 * same for every device (no sync rules, or rules that read every table whole): the encoder gives the
 * bytes every device gets.
 */
public final class FeedTail {
    /** The most entries one pull reads to bring the tail up to date; further behind, the tail starts over. */
    static final int MOST_NEW = 5_000;

    /** A row of the feed: its table's id and its stored key ({@link FeedReader#keyOf}). */
    public record Row(int table, Object key) {}

    /** An entry as read: its seq, its row, its hlc, the node that sent it (null: none) and its change (null: its row is gone). */
    public record Entry(long seq, Row row, long hlc, String sentBy, FeedEntry entry) {}

    /** What {@link FeedReader#readTail} read: entries in seq order, the feed's highest seq, and whether it stopped at its limit. */
    public record Read(List<Entry> entries, long top, boolean more) {}

    /**
     * A page: the encoded changes, its end and whether more follows, the schema version it was read
     * under, and whether it was cut from the tail ({@code shared}) rather than read for this pull.
     */
    public record Answer(List<byte[]> changes, long next, boolean more, long schemaVersion, boolean shared) {}

    /** An entry kept: {@code bytes} null when its row was gone, {@code replacedAt} the seq of its row's next entry. */
    private static final class Slot {
        final long seq;
        final Row row;
        final long hlc;
        final String sentBy;
        final byte[] bytes;
        long replacedAt = Long.MAX_VALUE;

        Slot(Entry e, byte[] bytes) {
            this.seq = e.seq();
            this.row = e.row();
            this.hlc = e.hlc();
            this.sentBy = e.sentBy();
            this.bytes = bytes;
        }
    }

    private final Function<Change, byte[]> encoder;
    private final int maxEntries;
    private final long maxBytes;

    // the tail, guarded by this
    private boolean valid;
    private long version;
    private long lo;
    private long hi;
    private long generation;
    private long bytes;
    private ArrayList<Slot> slots = new ArrayList<>();
    private final Map<Row, Slot> latest = new HashMap<>();

    /** A tail encoding each change with {@code encoder}, keeping at most {@code maxEntries} entries and {@code maxBytes} of bytes. */
    public FeedTail(Function<Change, byte[]> encoder, int maxEntries, long maxBytes) {
        if (maxEntries < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("a feed tail keeps at least one entry and one byte");
        }
        this.encoder = encoder;
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
    }

    /**
     * The page after {@code since} of at most {@code limit} entries for {@code forNode}, read on {@code c}
     * (in the pull's snapshot, with local writes folded) under schema version {@code schemaVersion}. A pull
     * from within the tail first brings it up to its snapshot (at most {@link #MOST_NEW} entries, the rest
     * left to the next) and is cut from it; any other reads its page, which starts the tail when there is
     * none (empty at the feed's end, or from its cursor when the page reaches that end).
     */
    public Answer page(FeedReader reader, Connection c, long since, int limit, long schemaVersion, String forNode)
            throws SQLException {
        return page(reader, c, since, limit, schemaVersion, forNode, -1);
    }

    /**
     * {@link #page(FeedReader, Connection, long, int, long, String)} where the pull's snapshot is known to end at
     * {@code feedTop} (-1: not known): when the tail was last read up to exactly there, a pull from within it is
     * cut from it without reading the feed (under many devices, most pulls come between two commits of pushes).
     */
    public Answer page(
            FeedReader reader, Connection c, long since, int limit, long schemaVersion, String forNode, long feedTop)
            throws SQLException {
        if (feedTop >= 0) {
            synchronized (this) {
                if (valid && version == schemaVersion && since >= lo && hi == feedTop) {
                    return view(slots, since, limit, feedTop, forNode, schemaVersion, true);
                }
            }
        }
        long gen;
        long from;
        Slot anchor;
        synchronized (this) {
            // a pull from before the tail reads its own page and leaves bringing the tail up to date to the next
            // pull from within it: the tail's reads are paid by the pulls it serves
            gen = valid && version == schemaVersion && since >= lo ? generation : -1;
            from = hi;
            anchor = !slots.isEmpty() && slots.getLast().seq == hi ? slots.getLast() : null;
        }
        if (gen >= 0) {
            // a pull from within the tail brings it up to date: what the feed gained since the last such pull
            Read gained = reader.readTail(c, anchor == null ? from : from - 1, MOST_NEW);
            if (gained.top() >= from && holds(anchor, gained) && noneGone(gained)) {
                List<Slot> added = new ArrayList<>(gained.entries().size());
                for (Entry e : gained.entries()) {
                    if (e.seq() > from) {
                        added.add(new Slot(e, encoder.apply(e.entry().change())));
                    }
                }
                // a read that stopped at its limit reaches its last entry; the next pull goes on from there
                long reach = gained.more() ? gained.entries().getLast().seq() : gained.top();
                synchronized (this) {
                    if (generation == gen) {
                        append(added, reach);
                        if (!gained.more() && since >= lo) {
                            return view(slots, since, limit, gained.top(), forNode, schemaVersion, true);
                        }
                    }
                }
            } else {
                synchronized (this) {
                    if (generation == gen) {
                        forget(); // gone back, or changed under it
                    }
                }
            }
        }
        Read read = reader.readTail(c, since, limit);
        List<Slot> own = new ArrayList<>(read.entries().size());
        for (Entry e : read.entries()) {
            own.add(new Slot(
                    e, e.entry() == null ? null : encoder.apply(e.entry().change())));
        }
        long position = read.top();
        Answer answer = view(own, since, limit, position, forNode, schemaVersion, false);
        // every entry from the cursor to the feed's end (a cursor past the end, as a restored hub's devices hold, is
        // not)
        boolean whole = !read.more() && noneGone(read) && since <= position;
        synchronized (this) {
            if (!valid || version != schemaVersion) {
                // a tail starts with this read when it holds everything up to the feed's end, else empty at the end
                replace(whole ? own : List.of(), whole ? since : position, position, schemaVersion);
            } else if (whole && since < lo && position >= hi) {
                replace(own, since, position, schemaVersion);
            }
        }
        return answer;
    }

    /** Forgets every entry: the next pull reads its page and starts the tail again. */
    public synchronized void forget() {
        valid = false;
        generation++;
        slots = new ArrayList<>();
        latest.clear();
        bytes = 0;
    }

    /** How many entries the tail holds and the bytes of their encodings. */
    public synchronized long[] size() {
        return new long[] {slots.size(), bytes};
    }

    /**
     * Whether the tail's last entry ({@code anchor}; null: none to check) is still where it was read, or
     * moved on with a later write of its row: otherwise the feed changed under the tail (a restored database).
     */
    private static boolean holds(Slot anchor, Read gained) {
        if (anchor == null) {
            return true;
        }
        List<Entry> es = gained.entries();
        if (!es.isEmpty() && es.getFirst().seq() == anchor.seq) {
            return es.getFirst().row().equals(anchor.row) && es.getFirst().hlc() == anchor.hlc;
        }
        for (Entry e : es) {
            if (e.row().equals(anchor.row)) {
                return true;
            }
        }
        return false;
    }

    private static boolean noneGone(Read read) {
        for (Entry e : read.entries()) {
            if (e.entry() == null) {
                return false;
            }
        }
        return true;
    }

    /** Adds the entries read after {@code hi} up to {@code position} (those not there yet), then drops the oldest over the bounds. */
    private void append(List<Slot> added, long position) {
        for (Slot s : added) {
            if (s.seq > hi) {
                add(s);
            }
        }
        hi = Math.max(hi, position);
        if (slots.size() > maxEntries || bytes > maxBytes) {
            int drop = 0;
            long left = bytes;
            int kept = slots.size();
            while (drop < slots.size() && (kept > maxEntries * 3L / 4 || left > maxBytes * 3 / 4)) {
                left -= slots.get(drop).bytes.length;
                kept--;
                drop++;
            }
            for (int i = 0; i < drop; i++) {
                Slot s = slots.get(i);
                latest.remove(s.row, s);
            }
            lo = slots.get(drop - 1).seq; // the entries after it are all still here
            slots = new ArrayList<>(slots.subList(drop, slots.size()));
            bytes = left;
        }
    }

    private void replace(List<Slot> read, long since, long position, long schemaVersion) {
        forget();
        valid = true;
        version = schemaVersion;
        lo = since;
        hi = since;
        append(read, position);
    }

    private void add(Slot s) {
        Slot before = latest.put(s.row, s);
        if (before != null) {
            before.replacedAt = s.seq;
        }
        slots.add(s);
        bytes += s.bytes.length;
    }

    /**
     * The page after {@code since} at feed position {@code position} from {@code from} (every entry the feed
     * held in between, in seq order, those replaced since included): its first {@code limit} entries held at
     * that position, less those {@code forNode} sent; it reaches to its last entry when full, else to the
     * position.
     */
    private static Answer view(
            List<Slot> from, long since, int limit, long position, String forNode, long version, boolean shared) {
        int i = firstAfter(from, since);
        List<byte[]> out = new ArrayList<>();
        int scanned = 0;
        long last = since;
        for (; i < from.size() && scanned < limit; i++) {
            Slot s = from.get(i);
            if (s.seq > position) {
                break;
            }
            if (s.replacedAt <= position) {
                continue;
            }
            scanned++;
            last = s.seq;
            if (s.bytes != null && !forNode.equals(s.sentBy)) {
                out.add(s.bytes);
            }
        }
        boolean more = scanned == limit;
        return new Answer(out, more ? last : Math.max(since, position), more, version, shared);
    }

    private static int firstAfter(List<Slot> slots, long since) {
        int low = 0;
        int high = slots.size();
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (slots.get(mid).seq <= since) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }
}
