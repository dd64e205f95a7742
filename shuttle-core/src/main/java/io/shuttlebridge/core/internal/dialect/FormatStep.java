package io.shuttlebridge.core.internal.dialect;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * One change of the engine's own tables ({@code _shuttle_*}) from one format to the next, as a
 * product's {@link MetadataObjects#formatSteps()} lists them and {@code internal.format.FormatUpgrade}
 * runs them, in one transaction, on a database an earlier release wrote.
 *
 * <p>A step's SQL is frozen as its format had it, never taken from the current DDL (which moves on),
 * and a step looks before it acts: run on a database that has its change already, it changes nothing.
 * That matters because the databases written before formats were numbered all say format 1 and hold
 * some of the later changes and not others.
 */
public interface FormatStep {

    /** The format this step brings a database to (from the one before it). */
    int version();

    /** What the step changes, in a few words, for the upgrade's log line. */
    String description();

    /**
     * Makes the change, inside the upgrade's transaction, where it is not there yet; returns whether
     * it changed anything.
     */
    boolean apply(Connection c, Dialect dialect) throws SQLException;
}
