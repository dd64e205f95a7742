package io.shuttlebridge.bridge;

/**
 * Sees every row Bridge writes to a target table, before the chunk is committed. Throwing aborts the
 * chunk (it is rolled back and the pass resumes from the last commit), which makes it a fault-injection point.
 */
@FunctionalInterface
public interface WriteObserver {
    WriteObserver NONE = (entity, op) -> {};

    /** @param op {@code insert}, {@code update} or {@code delete} */
    void onWrite(String entity, String op);
}
