package io.shuttlebridge.core.internal.dialect;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** The objects capture keeps in a database: the metadata tables, created once, and everything it made, removed at once. */
public interface MetadataObjects {

    /** Statements that create every metadata object if it does not exist yet. */
    List<String> metadataDdl();

    /** Drops every capture trigger and metadata object. */
    void removeAll(Connection c) throws SQLException;
}
