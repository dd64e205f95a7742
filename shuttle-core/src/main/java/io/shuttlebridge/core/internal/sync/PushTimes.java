package io.shuttlebridge.core.internal.sync;

import java.util.Objects;

/**
 * What a hub's pushes wait for and what their transactions take, told to whoever watches (a hub
 * server's meters): each push's queue time, from its arrival at the engine until the transaction it
 * commits in starts (its group's, or its own), and each such transaction, with the number of pushes it
 * committed. Internal.
 */
public final class PushTimes {
    /** Receives the times; called on the pushing threads, so it must be quick and thread-safe. */
    public interface Watcher {
        Watcher NONE = new Watcher() {
            @Override
            public void queued(long nanos) {}

            @Override
            public void committed(int pushes, long nanos) {}
        };

        /** A push waited {@code nanos} before the transaction it commits in started. */
        void queued(long nanos);

        /** A transaction committed {@code pushes} pushes (a group, or one alone) in {@code nanos}, start to commit. */
        void committed(int pushes, long nanos);
    }

    private volatile Watcher watcher = Watcher.NONE;

    /** Tells {@code w} the times from now on, in place of the watcher before. */
    public void watch(Watcher w) {
        this.watcher = Objects.requireNonNull(w, "watcher");
    }

    void queued(long nanos) {
        watcher.queued(nanos);
    }

    void committed(int pushes, long nanos) {
        watcher.committed(pushes, nanos);
    }
}
