package io.shuttlebridge.core.internal.dialect;

import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;

/** How a row's key is stored in the feed: the SQL that computes it, finds rows by it, and reads it back. */
public interface FeedKeys {

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

    /**
     * A condition comparing the key of the row under {@code alias}, its key columns as one row in key
     * order, with one stored feed key: {@code op} is {@code >} or {@code <=}. Bound by {@link #bindKeyValues};
     * the table's primary key index serves it, so a scan can start after a key and stop at another.
     */
    default String keyComparison(SyncedTable table, String alias, String op) {
        List<String> columns = table.key().stream()
                .map(c -> alias + "." + Identifiers.doubleQuote(c))
                .toList();
        String params = String.join(", ", Collections.nCopies(columns.size(), "?"));
        return columns.size() == 1
                ? columns.get(0) + " " + op + " " + params
                : "(" + String.join(", ", columns) + ") " + op + " (" + params + ")";
    }

    /** Binds the key values of a stored feed key for {@link #keyComparison}; returns the next parameter index. */
    default int bindKeyValues(PreparedStatement ps, int from, SyncedTable table, Object stored) throws SQLException {
        for (Object v : decodeKey(table, stored)) {
            Jdbc.set(ps, from++, v);
        }
        return from;
    }

    /**
     * A condition finding the row under {@code rowAlias} from the feed entry under {@code feedAlias} of its
     * table through the row table's primary key index (the row's key columns equal to the entry's stored
     * key, decoded in SQL), for a lookup made once per feed entry; null when the stored key form does not
     * allow it. Only evaluated as asked for entries of {@code table}.
     */
    default String rowByFeedKey(SyncedTable table, String feedAlias, String rowAlias) {
        return rowOfFeedEntry(table, feedAlias, rowAlias);
    }

    /** The stored feed key of a row given its key values, or null when only the database can compute it. */
    default Object storedKey(SyncedTable table, List<Object> key) {
        return key.size() == 1 ? key.get(0) : null;
    }

    /** Decodes a stored feed key back into key values (in key order). */
    List<Object> decodeKey(SyncedTable table, Object stored);
}
