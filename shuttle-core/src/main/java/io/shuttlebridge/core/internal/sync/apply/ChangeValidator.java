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

/** Checks a whole incoming batch before anything is written; the first problem rejects the batch. Internal. */
final class ChangeValidator {
    private ChangeValidator() {}

    static void validate(SyncSchema schema, List<Change> changes, int maxBatch) {
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
                final int at = i;
                t = schema.table(c.table())
                        .orElseThrow(() -> new ShuttleException(
                                ErrorCode.MALFORMED_PAYLOAD,
                                where(at, c) + ": table \"" + c.table() + "\" is not synced here"));
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
                if (c.values().size() > allowed.size()
                        || !allowed.containsAll(c.values().keySet())) {
                    for (String col : c.values().keySet()) {
                        if (!allowed.contains(col)) {
                            throw new ShuttleException(
                                    ErrorCode.MALFORMED_PAYLOAD,
                                    where(i, c) + ": unknown or unreplicated column \"" + col + "\"");
                        }
                    }
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

    private static String where(int i, Change c) {
        return "changes[" + i + "] (" + c.table() + ")";
    }

    static boolean sameValue(Object a, Object b) {
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.equals(x, y);
        }
        return Objects.equals(a, b);
    }
}
