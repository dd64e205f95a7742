package io.shuttlebridge.core.sync.internal;

import io.shuttlebridge.core.capture.SyncSchema;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Which referenced values the upserts of one batch bring, so a child may refer to a parent in the same batch. Internal. */
final class BatchKeys {
    private final Map<String, List<Change>> upserts = new HashMap<>();
    private final Map<String, Set<List<Object>>> index = new HashMap<>();

    BatchKeys(SyncSchema schema, List<Change> changes) {
        for (Change c : changes) {
            if (c.op() == Op.UPSERT) {
                upserts.computeIfAbsent(c.table(), t -> new ArrayList<>()).add(c);
            }
        }
    }

    boolean has(String table, List<String> columns, List<Object> values) {
        String id = table + "\u0000" + String.join("\u0000", columns);
        Set<List<Object>> set = index.computeIfAbsent(id, k -> {
            Set<List<Object>> s = new HashSet<>();
            for (Change c : upserts.getOrDefault(table, List.of())) {
                s.add(normalize(columns.stream().map(c.values()::get).toList()));
            }
            return s;
        });
        return set.contains(normalize(values));
    }

    private static List<Object> normalize(List<Object> values) {
        List<Object> out = new ArrayList<>(values.size());
        for (Object v : values) {
            out.add(v instanceof byte[] b ? Arrays.toString(b) : v);
        }
        return out;
    }
}
