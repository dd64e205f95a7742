package io.shuttlebridge.core.internal.sync.apply;

import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The order a batch is applied in. Internal. */
final class ApplyOrder {
    private ApplyOrder() {}

    /** Upserts parents first, then deletes children first; a stable sort, so a table's changes keep their order. */
    static List<Change> parentsFirst(SyncSchema schema, List<Change> changes) {
        List<Change> upserts = new ArrayList<>();
        List<Change> deletes = new ArrayList<>();
        Map<String, Integer> ranks = new HashMap<>();
        Function<String, Integer> rankOf = schema.plan()::rank;
        boolean sorted = true;
        int last = Integer.MIN_VALUE;
        for (Change ch : changes) {
            (ch.op() == Op.UPSERT ? upserts : deletes).add(ch);
            int rank = ranks.computeIfAbsent(ch.table(), rankOf);
            sorted &= ch.op() == Op.UPSERT && rank >= last;
            last = rank;
        }
        if (sorted) {
            return changes; // upserts only, already parents first (one table, typically)
        }
        upserts.sort(Comparator.comparingInt(ch -> ranks.get(ch.table())));
        deletes.sort(
                Comparator.comparingInt((Change ch) -> ranks.get(ch.table())).reversed());
        List<Change> all = new ArrayList<>(upserts);
        all.addAll(deletes);
        return all;
    }
}
