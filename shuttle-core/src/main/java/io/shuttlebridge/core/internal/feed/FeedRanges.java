package io.shuttlebridge.core.internal.feed;

import java.sql.SQLException;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link FeedRange}s that the pulls of many devices under sync rules share. When the feed advances,
 * every live device is told and pulls from where it was, most from the same cursor; the range after
 * that cursor is read once per feed position and size, and each device then reads only its own rows.
 * The feed up to a position does not change while it is the highest (a rewritten row's entry moves
 * past it), so a range read at a position stays true for any pull that reads the same position; ranges
 * read at other positions are dropped when the cache fills.
 */
public final class FeedRanges {
    private static final int MAX_RANGES = 32;

    private record Key(long since, int cap, long position) {}

    private final Map<Key, FeedRange> ranges = new ConcurrentHashMap<>();

    /** Reads a range that the cache does not hold. */
    @FunctionalInterface
    public interface Reader {
        FeedRange read() throws SQLException;
    }

    /** The range after {@code since} of at most {@code cap} entries read at feed position {@code position}, if held. */
    public FeedRange find(long since, int cap, long position) {
        return ranges.get(new Key(since, cap, position));
    }

    /** The range after {@code since} of at most {@code cap} entries at feed position {@code position}. */
    public FeedRange get(long since, int cap, long position, Reader reader) throws SQLException {
        Key key = new Key(since, cap, position);
        FeedRange r = ranges.get(key);
        if (r != null) {
            return r;
        }
        r = reader.read(); // two pulls that miss together both read: no lock is held across a read
        if (ranges.size() >= MAX_RANGES) {
            for (Iterator<Key> it = ranges.keySet().iterator(); it.hasNext(); ) {
                if (it.next().position() != position) {
                    it.remove();
                }
            }
            if (ranges.size() >= MAX_RANGES) {
                ranges.clear();
            }
        }
        ranges.put(key, r);
        return r;
    }
}
