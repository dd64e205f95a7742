package io.shuttlebridge.core.internal.dialect;

import java.util.concurrent.Callable;

/**
 * Work on this thread whose transaction is not to be saved part by part: a write a dialect would
 * otherwise try under a savepoint, to carry on another way when it fails (PostgreSQL's rows expected to
 * be new, inserted plainly), runs without one, and its failure fails the transaction, which the caller
 * runs again another way. A group of pushes committed together is such work: a savepoint costs two
 * round trips, and a push whose try fails is applied alone afterwards. Internal.
 */
public final class OneAttempt {
    private static final ThreadLocal<Boolean> ACTIVE = new ThreadLocal<>();

    private OneAttempt() {}

    /** Whether work on this thread runs as one attempt. */
    public static boolean active() {
        return Boolean.TRUE.equals(ACTIVE.get());
    }

    /** Runs {@code work} as one attempt. */
    public static <T> T run(Callable<T> work) throws Exception {
        Boolean before = ACTIVE.get();
        ACTIVE.set(Boolean.TRUE);
        try {
            return work.call();
        } finally {
            if (before == null) {
                ACTIVE.remove();
            } else {
                ACTIVE.set(before);
            }
        }
    }
}
