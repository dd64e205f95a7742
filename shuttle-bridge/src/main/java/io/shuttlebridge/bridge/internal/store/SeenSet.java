package io.shuttlebridge.bridge.internal.store;

import io.shuttlebridge.core.ShuttleException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The stored identities a complete pass has seen so far, as a bitmap over state ids kept in 8 KiB
 * chunks ({@code _shuttle_bridge_seen}). Dirty chunks are written with each committed chunk of records,
 * so a pass interrupted by a crash or a window end still knows what it saw. At most
 * {@value #MAX_CACHED} chunks stay in memory; clean ones are dropped first.
 */
public final class SeenSet {
    private static final int CHUNK_BITS = 16;
    private static final int CHUNK_BYTES = (1 << CHUNK_BITS) / 8;
    private static final int MAX_CACHED = 256;

    private final Connection c;
    private final String entity;
    private final Map<Long, byte[]> cache = new HashMap<>();
    private final Set<Long> dirty = new HashSet<>();

    public SeenSet(Connection c, String entity) {
        this.c = c;
        this.entity = entity;
    }

    public void mark(long id) throws SQLException {
        byte[] bits = chunk(id >>> CHUNK_BITS);
        int bit = (int) (id & ((1 << CHUNK_BITS) - 1));
        bits[bit >>> 3] |= (byte) (1 << (bit & 7));
        dirty.add(id >>> CHUNK_BITS);
    }

    public boolean seen(long id) throws SQLException {
        byte[] bits = chunk(id >>> CHUNK_BITS);
        int bit = (int) (id & ((1 << CHUNK_BITS) - 1));
        return (bits[bit >>> 3] & (1 << (bit & 7))) != 0;
    }

    /** {@link #seen(long)} for use as a predicate. */
    public boolean seenUnchecked(long id) {
        try {
            return seen(id);
        } catch (SQLException e) {
            throw ShuttleException.database("reading the seen-set of " + entity, e);
        }
    }

    /** Writes dirty chunks; call inside the transaction that commits the records that marked them. */
    public void flush() throws SQLException {
        if (dirty.isEmpty()) {
            return;
        }
        try (PreparedStatement del =
                        c.prepareStatement("DELETE FROM _shuttle_bridge_seen WHERE entity = ? AND chunk = ?");
                PreparedStatement ins =
                        c.prepareStatement("INSERT INTO _shuttle_bridge_seen (entity, chunk, bits) VALUES (?, ?, ?)")) {
            for (long chunk : dirty) {
                Sql.bind(del, entity, chunk).addBatch();
                Sql.bind(ins, entity, chunk, cache.get(chunk)).addBatch();
            }
            del.executeBatch();
            ins.executeBatch();
        }
        dirty.clear();
        evict();
    }

    /** Forgets what was seen (at the start and end of a pass). */
    public void clear() throws SQLException {
        Sql.update(c, "DELETE FROM _shuttle_bridge_seen WHERE entity = ?", entity);
        cache.clear();
        dirty.clear();
    }

    /** Drops chunks not yet flushed (after a rollback). */
    public void discardUnflushed() {
        dirty.forEach(cache::remove);
        dirty.clear();
    }

    private byte[] chunk(long chunk) throws SQLException {
        byte[] bits = cache.get(chunk);
        if (bits == null) {
            try (PreparedStatement ps = Sql.bind(
                            c.prepareStatement("SELECT bits FROM _shuttle_bridge_seen WHERE entity = ? AND chunk = ?"),
                            entity,
                            chunk);
                    ResultSet rs = ps.executeQuery()) {
                bits = rs.next() ? rs.getBytes(1) : new byte[CHUNK_BYTES];
            }
            cache.put(chunk, bits);
        }
        return bits;
    }

    private void evict() {
        for (Iterator<Long> it = cache.keySet().iterator(); it.hasNext() && cache.size() > MAX_CACHED; ) {
            if (!dirty.contains(it.next())) {
                it.remove();
            }
        }
    }
}
