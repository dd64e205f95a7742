package io.shuttlebridge.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shuttlebridge.core.MariaDb;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.internal.dialect.TransactionLock;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * On MariaDB the lock that orders new short ids is a session's {@code GET_LOCK}, let go by {@code RELEASE_LOCK}
 * after the lease's transaction: when the lease itself failed and letting go fails too, the caller is told the
 * lease's failure, with the release's kept as a suppressed exception, never the other way round.
 */
class LeaseLockReleaseIT {
    @Test
    void aFailingReleaseIsSuppressedUnderTheLeasesOwnFailure() {
        String url = MariaDb.freshDatabase();
        try (ShuttleDatabase db = ShuttleDatabase.open(url)) {
            FailingRelease lock =
                    new FailingRelease(Dialects.of(db).transactionLock().orElseThrow());
            LeaseStore leases = new LeaseStore(db, System::currentTimeMillis, Duration.ofMinutes(5), Optional.of(lock));
            MariaDb.exec(
                    url,
                    "CREATE TRIGGER refuse_leases BEFORE INSERT ON _shuttle_leases FOR EACH ROW"
                            + " SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'no new leases in this test'");

            assertThatThrownBy(() -> leases.lease("device-1", UUID.randomUUID().toString()))
                    .as("the lease's own failure")
                    .hasMessageContaining("no new leases in this test")
                    .satisfies(e -> assertThat(suppressed(e))
                            .as("the release's failure, kept with the lease's")
                            .singleElement()
                            .satisfies(s -> assertThat(s).hasMessage("RELEASE_LOCK failed in this test")));
            assertThat(lock.released)
                    .as("the lock was let go after the failed lease")
                    .isEqualTo(1);
            assertThat(MariaDb.count(url, "SELECT count(*) FROM _shuttle_leases"))
                    .isZero();

            MariaDb.exec(url, "DROP TRIGGER refuse_leases");
            assertThatThrownBy(() -> leases.lease("device-1", UUID.randomUUID().toString()))
                    .as("a lease that succeeded, then failed to let go of the lock: the release's failure")
                    .hasMessageEndingWith(": RELEASE_LOCK failed in this test");
            assertThat(MariaDb.count(url, "SELECT count(*) FROM _shuttle_leases"))
                    .as("the lease itself was committed")
                    .isEqualTo(1);
        }
    }

    /** What the exception and its causes (the database's error, wrapped by the engine) hold as suppressed. */
    private static List<Throwable> suppressed(Throwable e) {
        List<Throwable> out = new ArrayList<>();
        for (Throwable t = e; t != null; t = t.getCause()) {
            out.addAll(List.of(t.getSuppressed()));
        }
        return out;
    }

    /** The database's own lock, whose release lets go of it and then fails. */
    private static final class FailingRelease implements TransactionLock {
        private final TransactionLock real;
        int released;

        FailingRelease(TransactionLock real) {
            this.real = real;
        }

        @Override
        public void take(Connection c, int lockClass) throws SQLException {
            real.take(c, lockClass);
        }

        @Override
        public void release(Connection c, int lockClass) throws SQLException {
            real.release(c, lockClass);
            released++;
            throw new SQLException("RELEASE_LOCK failed in this test");
        }
    }
}
