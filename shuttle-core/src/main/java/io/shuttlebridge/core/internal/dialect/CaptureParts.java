package io.shuttlebridge.core.internal.dialect;

import io.shuttlebridge.core.internal.capture.SyncedTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * A {@link CaptureSql} put together from its parts: every call goes to the part that has the role
 * (the defaults of {@link FeedKeys} included, so that a part's own versions are the ones used).
 */
record CaptureParts(
        MetadataObjects metadata,
        CaptureTriggers triggers,
        FeedKeys keys,
        CaptureLog log,
        ApplyBracket apply,
        CaptureClock clock)
        implements CaptureSql {

    @Override
    public List<String> metadataDdl() {
        return metadata.metadataDdl();
    }

    @Override
    public List<FormatStep> formatSteps() {
        return metadata.formatSteps();
    }

    @Override
    public List<String> captureFunctions() {
        return metadata.captureFunctions();
    }

    @Override
    public void removeAll(Connection c) throws SQLException {
        metadata.removeAll(c);
    }

    @Override
    public List<String> installTriggers(SyncedTable table) {
        return triggers.installTriggers(table);
    }

    @Override
    public String keyExpression(SyncedTable table, String alias) {
        return keys.keyExpression(table, alias);
    }

    @Override
    public String keyParameterExpression(SyncedTable table) {
        return keys.keyParameterExpression(table);
    }

    @Override
    public String feedKeyMatch(SyncedTable table, String alias) {
        return keys.feedKeyMatch(table, alias);
    }

    @Override
    public String storedKeysCondition(SyncedTable table, String alias, int n) {
        return keys.storedKeysCondition(table, alias, n);
    }

    @Override
    public int bindStoredKeys(PreparedStatement ps, int from, SyncedTable table, List<Object> stored)
            throws SQLException {
        return keys.bindStoredKeys(ps, from, table, stored);
    }

    @Override
    public String feedKeysCondition(String column, int n) {
        return keys.feedKeysCondition(column, n);
    }

    @Override
    public int bindFeedKeys(PreparedStatement ps, int from, List<Object> stored) throws SQLException {
        return keys.bindFeedKeys(ps, from, stored);
    }

    @Override
    public String rowOfFeedEntry(SyncedTable table, String feedAlias, String rowAlias) {
        return keys.rowOfFeedEntry(table, feedAlias, rowAlias);
    }

    @Override
    public String keyComparison(SyncedTable table, String alias, String op) {
        return keys.keyComparison(table, alias, op);
    }

    @Override
    public int bindKeyValues(PreparedStatement ps, int from, SyncedTable table, Object stored) throws SQLException {
        return keys.bindKeyValues(ps, from, table, stored);
    }

    @Override
    public String rowByFeedKey(SyncedTable table, String feedAlias, String rowAlias) {
        return keys.rowByFeedKey(table, feedAlias, rowAlias);
    }

    @Override
    public Object storedKey(SyncedTable table, List<Object> key) {
        return keys.storedKey(table, key);
    }

    @Override
    public List<Object> decodeKey(SyncedTable table, Object stored) {
        return keys.decodeKey(table, stored);
    }

    @Override
    public void logLocalWrite(Connection c, SyncedTable table, List<Object> key) throws SQLException {
        log.logLocalWrite(c, table, key);
    }

    @Override
    public void fold(Connection c) throws SQLException {
        log.fold(c);
    }

    @Override
    public void foldForReading(Connection c) throws SQLException {
        log.foldForReading(c);
    }

    @Override
    public long beginApply(Connection c) throws SQLException {
        return apply.beginApply(c);
    }

    @Override
    public void endApply(Connection c, long token, List<AppliedEntry> entries) throws SQLException {
        apply.endApply(c, token, entries);
    }

    @Override
    public void endApply(Connection c, long token, List<AppliedEntry> entries, long clockFloor) throws SQLException {
        apply.endApply(c, token, entries, clockFloor);
    }

    @Override
    public ClockPosition nextSeqAndHlc(Connection c) throws SQLException {
        return clock.nextSeqAndHlc(c);
    }

    @Override
    public long lastHlc(Connection c) throws SQLException {
        return clock.lastHlc(c);
    }

    @Override
    public void advanceClock(Connection c, long seq, long hlc) throws SQLException {
        clock.advanceClock(c, seq, hlc);
    }
}
