package io.shuttlebridge.core.internal.dialect.sqlite;

import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.dialect.FeedKeys;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Feed keys on SQLite: a one-column key is stored as the value itself (the feed's BLOB affinity
 * keeps every value as it is), a composite key as the {@code quote()}d parts joined by commas.
 */
final class SqliteKeys implements FeedKeys {
    private static final String JOIN = " || ',' || ";

    private final Dialect dialect;

    SqliteKeys(Dialect dialect) {
        this.dialect = dialect;
    }

    @Override
    public String keyExpression(SyncedTable t, String alias) {
        List<String> key = t.key();
        if (key.size() == 1) {
            return alias + "." + dialect.quote(key.get(0));
        }
        return key.stream()
                .map(c -> "quote(" + alias + "." + dialect.quote(c) + ")")
                .collect(Collectors.joining(JOIN));
    }

    @Override
    public String keyParameterExpression(SyncedTable t) {
        return t.key().size() == 1 ? "?" : t.key().stream().map(c -> "quote(?)").collect(Collectors.joining(JOIN));
    }

    @Override
    public String rowOfFeedEntry(SyncedTable t, String feedAlias, String rowAlias) {
        // the feed keeps a single-column key as the value itself; the row's column affinity applies to it
        return t.key().size() == 1 ? rowAlias + "." + dialect.quote(t.key().get(0)) + " = " + feedAlias + ".pk" : null;
    }

    @Override
    public String feedKeyMatch(SyncedTable t, String alias) {
        // unary + drops the column's affinity, so the comparison can use the feed's primary key
        return "+" + keyExpression(t, alias);
    }

    @Override
    public List<Object> decodeKey(SyncedTable t, Object stored) {
        if (t.key().size() == 1) {
            return Collections.singletonList(stored instanceof Integer i ? Long.valueOf(i) : stored);
        }
        return SqlLiterals.parseList(String.valueOf(stored), t.key().size());
    }
}
