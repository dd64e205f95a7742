package io.shuttlebridge.core.sync.internal;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.capture.SyncSchema;
import io.shuttlebridge.core.capture.SyncedTable;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** Checks a whole incoming batch before anything is written; the first problem rejects the batch. Internal. */
final class ChangeValidator {
    private ChangeValidator() {}

    static void validate(SyncSchema schema, List<Change> changes, int maxBatch) {
        if (changes.size() > maxBatch) {
            throw new ShuttleException(ErrorCode.INVALID_ARGUMENT, "batch of " + changes.size() + " changes exceeds the limit of "
                    + maxBatch + "; send smaller pages");
        }
        for (int i = 0; i < changes.size(); i++) {
            Change c = changes.get(i);
            String where = "changes[" + i + "] (" + c.table() + ")";
            SyncedTable t = schema.table(c.table()).orElseThrow(() -> new ShuttleException(ErrorCode.MALFORMED_PAYLOAD,
                    where + ": table \"" + c.table() + "\" is not synced here"));
            if (c.key().size() != t.key().size()) {
                throw new ShuttleException(ErrorCode.MALFORMED_PAYLOAD, where + ": key has " + c.key().size() + " parts, the primary key "
                        + t.key() + " has " + t.key().size());
            }
            if (c.key().stream().anyMatch(Objects::isNull)) {
                throw new ShuttleException(ErrorCode.MALFORMED_PAYLOAD, where + ": key parts must not be null");
            }
            if (c.op() == Op.UPSERT) {
                Set<String> allowed = new HashSet<>(t.replicatedColumns());
                for (String col : c.values().keySet()) {
                    if (!allowed.contains(col)) {
                        throw new ShuttleException(ErrorCode.MALFORMED_PAYLOAD, where + ": unknown or unreplicated column \"" + col + "\"");
                    }
                }
                for (int k = 0; k < t.key().size(); k++) {
                    Object v = c.values().get(t.key().get(k));
                    if (!sameValue(v, c.key().get(k))) {
                        throw new ShuttleException(ErrorCode.MALFORMED_PAYLOAD, where + ": value of key column \"" + t.key().get(k)
                                + "\" does not match the change's key");
                    }
                }
            }
        }
    }

    static boolean sameValue(Object a, Object b) {
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.equals(x, y);
        }
        return Objects.equals(a, b);
    }
}
