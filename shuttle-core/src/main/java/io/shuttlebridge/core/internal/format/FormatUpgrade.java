package io.shuttlebridge.core.internal.format;

import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.internal.dialect.FormatStep;
import io.shuttlebridge.core.internal.dialect.TransactionLock;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the engine's tables of a database an earlier release wrote to {@link EngineFormat#CURRENT}
 * when the engine opens it, in one transaction: the format steps after the database's format in
 * order, then the capture code as this build writes it, then the new format. A failure anywhere
 * rolls all of it back and leaves the database as it was (on MariaDB, which commits each DDL statement as it
 * goes, the format is written last, so a failed upgrade is done again on the next open). A database in a newer
 * format is refused, naming its format and this build's; one in the current format costs one lookup.
 */
public final class FormatUpgrade {
    private static final Logger log = LoggerFactory.getLogger(FormatUpgrade.class);

    /** The lock held while the engine's tables are upgraded ('fmt '), of the database's schema. */
    static final int LOCK_CLASS = 0x666d7420;

    private FormatUpgrade() {}

    /**
     * Checks the format of {@code db}'s tables and upgrades them if an earlier release wrote them;
     * a database where sync was never enabled is left as it is.
     */
    public static void open(ShuttleDatabase db) {
        Dialect dialect = Dialects.of(db);
        int found = db.read(c -> EngineFormat.read(c, dialect));
        if (found == EngineFormat.CURRENT || found == EngineFormat.NOT_ENABLED) {
            return;
        }
        EngineFormat.refuseNewer(found, db.displayUrl());
        Optional<TransactionLock> lock = dialect.transactionLock();
        Optional<Done> done = lock.isEmpty()
                ? db.transaction(c -> upgrade(c, dialect, dialect.capture().formatSteps(), db.displayUrl()))
                : db.read(c -> upgradeHolding(c, lock.get(), dialect, db.displayUrl()));
        done.ifPresent(d -> log.warn(d.describe(db.displayUrl())));
    }

    /**
     * The upgrade's transaction on {@code c}, holding the database's lock of upgrades ({@link #LOCK_CLASS}) from
     * before its first statement until after its end, so that processes opening the database at once upgrade it
     * one after the other, the later ones finding it current. The format's row lock ({@link EngineFormat#claim})
     * is not enough where DDL commits implicitly (MariaDB: the first {@code CREATE TRIGGER} of the capture code
     * ends the transaction, and with it the row lock, and a second process would install the triggers
     * meanwhile); the dialect's {@link TransactionLock} outlives such a commit.
     */
    private static Optional<Done> upgradeHolding(Connection c, TransactionLock lock, Dialect dialect, String database)
            throws SQLException {
        boolean held = false;
        Optional<Done> done;
        try {
            c.setAutoCommit(false);
            try {
                held = true; // a failed take may still have taken it: releasing is harmless
                lock.take(c, LOCK_CLASS);
                done = upgrade(c, dialect, dialect.capture().formatSteps(), database);
                c.commit();
            } catch (SQLException | RuntimeException | Error e) {
                try {
                    c.rollback();
                } catch (SQLException rollbackFailure) {
                    e.addSuppressed(rollbackFailure);
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException | RuntimeException | Error e) {
            if (held) {
                try {
                    lock.release(c, LOCK_CLASS);
                } catch (SQLException | RuntimeException releaseFailure) {
                    e.addSuppressed(releaseFailure);
                }
            }
            throw e;
        }
        lock.release(c, LOCK_CLASS);
        return done;
    }

    /**
     * {@link #open} inside the caller's transaction (enabling sync again on a database an earlier
     * release enabled); nothing when sync was never enabled on it.
     */
    public static void upgradeIfEnabled(Connection c, Dialect dialect, String database) throws SQLException {
        if (dialect.hasTable(c, "_shuttle_meta")) {
            upgrade(c, dialect, dialect.capture().formatSteps(), database)
                    .ifPresent(done -> log.warn(done.describe(database)));
        }
    }

    /** What an upgrade did: the format it started from, the steps that changed something, the tables whose triggers it installed. */
    record Done(int from, List<String> steps, int tables) {
        String describe(String database) {
            return "upgraded the Shuttle tables of " + database + " from format " + from + " to format "
                    + EngineFormat.CURRENT + " in one transaction ("
                    + (steps.isEmpty() ? "no table changed" : String.join("; ", steps)) + "; capture triggers of "
                    + tables + " tables installed anew)";
        }
    }

    /**
     * Upgrades in the caller's transaction with the given steps; what it did, or nothing when the
     * tables were current already. The caller rolls back when this throws.
     */
    static Optional<Done> upgrade(Connection c, Dialect dialect, List<FormatStep> steps, String database)
            throws SQLException {
        EngineFormat.claim(c);
        int from = EngineFormat.readEnabled(c);
        if (from == EngineFormat.CURRENT) {
            return Optional.empty(); // current already, or another process upgraded it meanwhile
        }
        EngineFormat.refuseNewer(from, database);
        if (from == EngineFormat.UNNUMBERED) {
            LegacyShape.requireUpgradable(c, dialect, database);
        }
        List<String> changed = new ArrayList<>();
        for (FormatStep step : steps) {
            if (step.version() > from && step.apply(c, dialect)) {
                changed.add(step.version() + ": " + step.description());
            }
        }
        int tables = CaptureCode.install(c, dialect);
        EngineFormat.write(c, EngineFormat.CURRENT);
        return Optional.of(new Done(from, changed, tables));
    }
}
