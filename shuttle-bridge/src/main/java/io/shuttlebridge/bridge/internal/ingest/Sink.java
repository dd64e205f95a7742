package io.shuttlebridge.bridge.internal.ingest;

/**
 * The ingest stage: where classified rows are written. Calls are buffered and written by
 * {@link #flush()}, inside the transaction that also commits Bridge's state for the same chunk.
 */
public interface Sink extends AutoCloseable {

    /** A full row, values aligned with the entity's target columns. */
    void insert(Object[] row);

    void update(Object[] row);

    /** Key values, aligned with the entity's key columns. */
    void delete(Object[] key);

    void flush();

    @Override
    void close();
}
