package io.shuttlebridge.bench.load;

import java.net.URI;

/** The hub under load: where it listens, the token devices send, and what memory it holds. */
interface LoadHub extends AutoCloseable {
    URI url();

    /** The bearer token of the devices; null for an open hub. */
    String token();

    /** Where the hub runs and over what, for the report. */
    String description();

    /** Whose memory {@link #memory} measures, for the report. */
    String memoryAttribution();

    /**
     * The hub process's heap in use (after a full collection when {@code collect}) and RSS;
     * {@link MemorySample#UNKNOWN} parts when they cannot be read.
     */
    MemorySample memory(boolean collect);

    /** Processor time the hub's own process used so far, in nanoseconds; -1 when it is this JVM or unknown. */
    long cpuNanos();

    /** The port of the embedded PostgreSQL the hub runs over, for its processor time; -1 when not known. */
    default int databasePort() {
        return -1;
    }

    @Override
    void close() throws Exception;
}
