package io.shuttlebridge.core.internal.format;

import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.internal.dialect.FormatStep;
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
 * rolls all of it back and leaves the database as it was. A database in a newer format is refused,
 * naming its format and this build's; one in the current format costs one lookup.
 */
public final class FormatUpgrade {
    private static final Logger log = LoggerFactory.getLogger(FormatUpgrade.class);

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
        db.transaction(c -> upgrade(c, dialect, dialect.capture().formatSteps(), db.displayUrl()))
                .ifPresent(done -> log.warn(done.describe(db.displayUrl())));
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
