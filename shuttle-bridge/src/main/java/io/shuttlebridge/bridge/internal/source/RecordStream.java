package io.shuttlebridge.bridge.internal.source;

import io.shuttlebridge.bridge.internal.record.SourceRecord;

/** An open stream of source records. */
public interface RecordStream extends AutoCloseable {

    /** The next record, or null at the end. */
    SourceRecord next();

    /** A token to resume right after the last record returned by {@link #next()}. */
    String position();

    @Override
    void close();
}
