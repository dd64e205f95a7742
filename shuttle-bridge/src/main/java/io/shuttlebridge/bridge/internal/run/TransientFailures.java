package io.shuttlebridge.bridge.internal.run;

import io.shuttlebridge.bridge.internal.store.Sql;
import io.shuttlebridge.core.DatabaseException;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import java.sql.SQLException;
import java.time.Duration;

/** Whether a failure is one the target database would not repeat: a lost race, a deadlock, a lost connection. */
public final class TransientFailures {
    /** How often work refused by a transient failure (a batch's chunk, a dead-letter call) is tried in all. */
    static final int ATTEMPTS = 5;

    private TransientFailures() {}

    static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DatabaseException d) {
                return d.failure().transientFailure();
            }
            if (t instanceof SQLException s) {
                return DatabaseException.classify(s).transientFailure();
            }
        }
        return false;
    }

    /** The pause before attempt {@code attempt + 1} after a transient failure. */
    static void pause(RunContext ctx, int attempt, String doing) {
        try {
            ctx.sleeper().sleep(Duration.ofMillis(50L << Math.min(attempt, 6)));
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new ShuttleException(ErrorCode.INTERNAL, "interrupted while retrying " + doing, ie);
        }
    }

    /**
     * {@link Sql#ending} that runs {@code work} again, in a transaction of its own, when the target refused it
     * for a moment (on SQLite, a work that read and then writes loses to a connection that wrote in between:
     * the hub's own, folding captured writes): the refused attempt was rolled back whole.
     */
    public static <T> T ending(RunContext ctx, String doing, Sql.Work<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return Sql.ending(ctx.connection(), doing, work);
            } catch (RuntimeException e) {
                if (attempt >= ATTEMPTS || !isTransient(e)) {
                    throw e;
                }
                pause(ctx, attempt, doing);
            }
        }
    }
}
