package io.shuttlebridge.core;

/** Receives progress of long tasks (backfill, bootstrap, bundle import, bridge batches). */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (task, done, total) -> {};

    /**
     * @param task what is being done, e.g. {@code backfill orders}
     * @param done units done so far
     * @param total units in all, or -1 when unknown
     */
    void progress(String task, long done, long total);
}
