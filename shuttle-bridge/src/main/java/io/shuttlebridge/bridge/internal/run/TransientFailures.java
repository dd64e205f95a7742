package io.shuttlebridge.bridge.internal.run;

import io.shuttlebridge.core.DatabaseException;
import java.sql.SQLException;

/** Whether a failure is one the target database would not repeat: a lost race, a deadlock, a lost connection. */
final class TransientFailures {
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
}
