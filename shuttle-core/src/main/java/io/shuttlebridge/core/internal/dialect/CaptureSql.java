package io.shuttlebridge.core.internal.dialect;

import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;

/** The product-specific SQL behind change capture: metadata objects, triggers, the no-echo switch. */
public interface CaptureSql {

    /** Statements that create every metadata object if it does not exist yet. */
    List<String> metadataDdl();

    /** The clause of a feed write that puts a row's new entry in the place of the one it holds (both dialects' syntax). */
    String FEED_ENTRY_REPLACES =
            "ON CONFLICT (tbl, pk) DO UPDATE SET seq = excluded.seq, op = excluded.op, hlc = excluded.hlc,"
                    + " origin = excluded.origin, version = excluded.version, base = excluded.base, scope = excluded.scope, via = excluded.via";

    /** Statements that (re)create the capture triggers of one table, dropping old ones first. */
    List<String> installTriggers(SyncedTable table);

    /** Drops every capture trigger and metadata object. */
    void removeAll(Connection c) throws SQLException;

    /** SQL expression computing the feed key of a row; {@code alias} is NEW, OLD or a table alias. */
    String keyExpression(SyncedTable table, String alias);

    /** The same key expression over {@code ?} parameters, one per key column, bound in key order. */
    String keyParameterExpression(SyncedTable table);

    /**
     * The key expression as the right-hand side of {@code _shuttle_feed.pk = ...} in a query that
     * should use the feed's primary key (SQLite needs the column affinity dropped).
     */
    default String feedKeyMatch(SyncedTable table, String alias) {
        return keyExpression(table, alias);
    }

    /** A condition on {@code alias} matching the rows whose feed keys are among {@code n} stored keys, bound by {@link #bindStoredKeys}. */
    default String storedKeysCondition(SyncedTable table, String alias, int n) {
        return keyExpression(table, alias) + " IN (" + String.join(", ", Collections.nCopies(n, "?")) + ")";
    }

    /** Binds stored feed keys for {@link #storedKeysCondition}; returns the next parameter index. */
    default int bindStoredKeys(PreparedStatement ps, int from, SyncedTable table, List<Object> stored)
            throws SQLException {
        for (Object k : stored) {
            ps.setObject(from++, k);
        }
        return from;
    }

    /** A condition matching the feed's stored key column {@code column} against {@code n} stored keys, bound by {@link #bindFeedKeys}. */
    default String feedKeysCondition(String column, int n) {
        return column + " IN (" + String.join(", ", Collections.nCopies(n, "?")) + ")";
    }

    /** Binds stored feed keys for {@link #feedKeysCondition}; returns the next parameter index. */
    default int bindFeedKeys(PreparedStatement ps, int from, List<Object> stored) throws SQLException {
        for (Object k : stored) {
            Jdbc.set(ps, from++, k);
        }
        return from;
    }

    /**
     * A join condition that finds a table's row from its feed entry through the table's primary key
     * index ({@code row.key = feed.pk}), or null when the stored key form does not allow it (the
     * reader then looks rows up by their stored keys).
     */
    default String rowOfFeedEntry(SyncedTable table, String feedAlias, String rowAlias) {
        return null;
    }

    /** The stored feed key of a row given its key values, or null when only the database can compute it. */
    default Object storedKey(SyncedTable table, List<Object> key) {
        return key.size() == 1 ? key.get(0) : null;
    }

    /** Logs a local upsert of the row now, even when no column changed (a deliberate rewrite). Fold afterwards. */
    void logLocalWrite(Connection c, SyncedTable table, List<Object> key) throws SQLException;

    /** Decodes a stored feed key back into key values (in key order). */
    List<Object> decodeKey(SyncedTable table, Object stored);

    /**
     * Moves captured writes into the feed (one entry per row, the latest), so that readers and
     * the apply path see every local write. Cheap when there is nothing to fold.
     */
    void fold(Connection c) throws SQLException;

    /**
     * Starts applying remote changes in the current transaction. Returns a token for
     * {@link #endApply}, which must follow before commit.
     */
    long beginApply(Connection c) throws SQLException;

    /**
     * Ends an apply: whatever capture recorded for the applied writes is discarded (no echo) and
     * the feed gets the given entries instead, with their own origin, hlc and version; the local
     * clock moves past the highest stamp applied.
     */
    void endApply(Connection c, long token, List<AppliedEntry> entries) throws SQLException;

    /** The next local seq and a fresh local hlc stamp, without reserving them. Fold first. */
    long[] nextSeqAndHlc(Connection c) throws SQLException;

    /** Records that seqs up to {@code seq} and stamps up to {@code hlc} are used (after a backfill). */
    void advanceClock(Connection c, long seq, long hlc) throws SQLException;

    /**
     * A feed entry written by the apply path; {@code via} is the node id of the peer it came from
     * (so it is not sent back there), null for an entry made here. {@code expectedNew}: the feed had
     * no entry for the row when the apply began and this is the apply's first write to it, so the
     * dialect may insert it without looking for one (when the guess is wrong, as it can be after a
     * concurrent write, the entry replaces the existing one all the same).
     */
    record AppliedEntry(
            SyncedTable table,
            List<Object> key,
            int op,
            long hlc,
            int origin,
            long version,
            long base,
            Object scope,
            Integer via,
            boolean expectedNew) {}
}
