package io.shuttlebridge.core.internal.sync.apply;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks a whole incoming batch before anything is written. A malformed change rejects the batch; a
 * change for a table or column this replica does not sync rejects it too, or, for a hub taking a push
 * ({@link #misfits}), is set apart to be refused alone. Internal.
 */
final class ChangeValidator {
    private ChangeValidator() {}

    static void validate(SyncSchema schema, List<Change> changes, int maxBatch) {
        check(schema, changes, maxBatch, null);
    }

    /**
     * Checks the batch as {@link #validate} does, except that the changes naming a table or column this
     * replica does not sync are returned (position to reason) instead of rejecting the batch.
     */
    static Map<Integer, String> misfits(SyncSchema schema, List<Change> changes, int maxBatch) {
        Map<Integer, String> out = new TreeMap<>();
        check(schema, changes, maxBatch, out);
        return out;
    }

    private static void check(SyncSchema schema, List<Change> changes, int maxBatch, Map<Integer, String> misfits) {
        if (changes.size() > maxBatch) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT,
                    "batch of " + changes.size() + " changes exceeds the limit of " + maxBatch
                            + "; send smaller pages");
        }
        Map<String, Set<String>> allowedByTable = new HashMap<>();
        SyncedTable t = null;
        Set<String> allowed = null;
        for (int i = 0; i < changes.size(); i++) {
            Change c = changes.get(i);
            if (t == null || !t.name().equals(c.table())) {
                SyncedTable found = schema.table(c.table()).orElse(null);
                if (found == null) {
                    misfit(misfits, i, c, "table \"" + name(c.table()) + "\" is not synced here");
                    continue;
                }
                t = found;
                SyncedTable table = t;
                allowed = allowedByTable.computeIfAbsent(t.name(), n -> new HashSet<>(table.replicatedColumns()));
            }
            List<String> keyColumns = t.key();
            if (c.key().size() != keyColumns.size()) {
                throw new ShuttleException(
                        ErrorCode.MALFORMED_PAYLOAD,
                        where(i, c) + ": key has " + c.key().size() + " parts, the primary key " + keyColumns + " has "
                                + keyColumns.size());
            }
            for (Object part : c.key()) {
                if (part == null) {
                    throw new ShuttleException(
                            ErrorCode.MALFORMED_PAYLOAD, where(i, c) + ": key parts must not be null");
                }
            }
            if (c.op() == Op.UPSERT) {
                String unknown = unknownColumn(c, allowed);
                if (unknown != null) {
                    misfit(
                            misfits,
                            i,
                            c,
                            "unknown or unreplicated column \"" + name(unknown) + "\" of table \"" + t.name() + "\"");
                    continue;
                }
                for (int k = 0; k < keyColumns.size(); k++) {
                    Object v = c.values().get(keyColumns.get(k));
                    if (!sameValue(v, c.key().get(k))) {
                        throw new ShuttleException(
                                ErrorCode.MALFORMED_PAYLOAD,
                                where(i, c) + ": value of key column \"" + keyColumns.get(k)
                                        + "\" does not match the change's key");
                    }
                }
            }
        }
    }

    /** The first column of an upsert that is not among {@code allowed}, or null. */
    private static String unknownColumn(Change c, Set<String> allowed) {
        if (c.values().size() <= allowed.size()
                && allowed.containsAll(c.values().keySet())) {
            return null;
        }
        for (String col : c.values().keySet()) {
            if (!allowed.contains(col)) {
                return col;
            }
        }
        return null;
    }

    /** A change that does not fit the schema: set apart when {@code misfits} collects them, else the batch is rejected. */
    private static void misfit(Map<Integer, String> misfits, int i, Change c, String why) {
        if (misfits == null) {
            throw new ShuttleException(ErrorCode.MALFORMED_PAYLOAD, where(i, c) + ": " + why);
        }
        misfits.put(i, why);
    }

    private static String where(int i, Change c) {
        return "changes[" + i + "] (" + name(c.table()) + ")";
    }

    /** A name as a message quotes it: a very long one is cut short, saying how long it was. */
    private static String name(String name) {
        return name.length() <= 100 ? name : name.substring(0, 100) + "... (" + name.length() + " characters)";
    }

    static boolean sameValue(Object a, Object b) {
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.equals(x, y);
        }
        return Objects.equals(a, b);
    }
}
