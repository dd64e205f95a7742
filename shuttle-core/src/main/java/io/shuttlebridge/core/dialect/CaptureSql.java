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
     * Starts applying remote changes in the current transaction: capture is switched off so they
     * are not captured again as local writes (no echo). {@link #endApply} must follow before commit.
     */
    void beginApply(Connection c) throws SQLException;

    /** Switches capture back on and moves the local clock past the highest stamp applied. */
    void endApply(Connection c, long maxAppliedHlc) throws SQLException;

    /**
     * Upsert of a feed entry with a new local seq. Parameters: the key parts (in key order), then
     * op code, hlc, origin id, version, base, scope value.
     */
    String feedWriteSql(SyncedTable table);

    /** The next local seq and a fresh local hlc stamp, without reserving them. */
    long[] nextSeqAndHlc(Connection c) throws SQLException;

    /** Raises the seq floor and the clock (after a backfill or a purge). */
    void advanceClock(Connection c, long seqFloor, long hlc) throws SQLException;
}
