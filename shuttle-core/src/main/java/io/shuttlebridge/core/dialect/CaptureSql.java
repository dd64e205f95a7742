package io.shuttlebridge.core.dialect;

import io.shuttlebridge.core.capture.SyncedTable;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** The product-specific SQL behind change capture: metadata objects, triggers, the no-echo switch. */
public interface CaptureSql {

    /** Statements that create every metadata object if it does not exist yet. */
    List<String> metadataDdl();

    /** Statements that (re)create the capture triggers of one table, dropping old ones first. */
    List<String> installTriggers(SyncedTable table);

    /** Drops the capture triggers of one table. */
    void dropTriggers(Connection c, SyncedTable table) throws SQLException;

    /** Drops every capture trigger and metadata object. */
    void removeAll(Connection c) throws SQLException;

    /** SQL expression computing the feed key of a row; {@code alias} is NEW, OLD or a table alias. */
    String keyExpression(SyncedTable table, String alias);

    /** The same key expression over {@code ?} parameters, one per key column, bound in key order. */
    String keyParameterExpression(SyncedTable table);

    /** Decodes a stored feed key back into key values (in key order). */
    java.util.List<Object> decodeKey(SyncedTable table, Object stored);

    /**
     * Turns capture off or on for the current transaction, so that applying remote changes is not
     * captured again as local writes. Must be called inside a transaction and switched back before commit.
     */
    void setApplying(Connection c, boolean applying) throws SQLException;
}
