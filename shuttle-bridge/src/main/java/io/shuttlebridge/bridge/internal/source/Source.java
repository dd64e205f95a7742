package io.shuttlebridge.bridge.internal.source;

/** The fetch stage: a source of records, read as a stream so memory is bounded by a page or batch. */
public interface Source {

    /**
     * Opens a stream.
     *
     * @param resumeToken where a previous stream of the same pass stopped ({@link RecordStream#position()}), or null
     * @param since only records with a row version greater than this, or null for all
     */
    RecordStream open(String resumeToken, String since);

    /** True when the source can filter by row version (so incremental passes are possible). */
    boolean incremental();
}
