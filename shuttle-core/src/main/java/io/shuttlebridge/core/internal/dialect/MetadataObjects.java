package io.shuttlebridge.core.internal.dialect;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The objects capture keeps in a database: the metadata tables, created once, brought from an earlier
 * format to this one step by step, and everything it made, removed at once.
 */
public interface MetadataObjects {

    /** Statements that create every metadata object if it does not exist yet. */
    List<String> metadataDdl();

    /**
     * The steps from the first format of the engine's tables to the current one that concern this
     * product, in order of their versions; a change of a metadata table's shape comes with a step.
     */
    List<FormatStep> formatSteps();

    /**
     * Statements that create again, as this build writes them, the functions capture runs in the
     * database besides its triggers (run after an upgrade); none by default.
     */
    default List<String> captureFunctions() {
        return List.of();
    }

    /** Drops every capture trigger and metadata object. */
    void removeAll(Connection c) throws SQLException;
}
