package io.shuttlebridge.bridge.internal.delta;

import io.shuttlebridge.bridge.internal.record.PreparedRecord;
import io.shuttlebridge.bridge.internal.record.RowVersions;
import io.shuttlebridge.bridge.internal.store.BkKey;
import io.shuttlebridge.bridge.internal.store.IdentityKey;
import io.shuttlebridge.bridge.internal.store.StateStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The delta stage. Row-version based when the record and the stored state both have one (an older
 * version is stale and never overwrites a newer one), hash based otherwise: equal data hashes mean
 * unchanged. Within one chunk the last record of a business key wins.
 */
public final class DeltaClassifier {
    private DeltaClassifier() {}

    /** Keeps the last record per business key, in first-seen order. */
    public static Map<BkKey, PreparedRecord> dedupe(Collection<PreparedRecord> records) {
        Map<BkKey, PreparedRecord> out = new LinkedHashMap<>(records.size() * 2);
        for (PreparedRecord r : records) {
            out.put(new BkKey(r.bkHash()), r);
        }
        return out;
    }

    /** The identity keys of the records, to look their stored state up. */
    public static List<IdentityKey> keys(Collection<PreparedRecord> records) {
        List<IdentityKey> out = new ArrayList<>(records.size());
        for (PreparedRecord r : records) {
            out.add(new IdentityKey(r.ord(), r.bkHash()));
        }
        return out;
    }

    public static List<Delta> classify(Map<BkKey, PreparedRecord> records, Map<BkKey, StateStore.Entry> stored) {
        List<Delta> out = new ArrayList<>(records.size());
        for (var e : records.entrySet()) {
            out.add(classify(e.getValue(), stored.get(e.getKey())));
        }
        return out;
    }

    public static Delta classify(PreparedRecord r, StateStore.Entry stored) {
        if (r.tombstone()) {
            return stored == null ? new Delta.Ignored(r) : new Delta.Delete(r, stored);
        }
        if (stored == null) {
            return new Delta.Insert(r);
        }
        if (r.rowversion() != null
                && stored.rowversion() != null
                && RowVersions.compare(r.rowversion(), stored.rowversion()) < 0) {
            return new Delta.Unchanged(r, stored, false);
        }
        if (Arrays.equals(r.dataHash(), stored.dataHash())) {
            boolean refresh = r.rowversion() != null && !r.rowversion().equals(stored.rowversion());
            return new Delta.Unchanged(r, stored, refresh);
        }
        return new Delta.Update(r, stored);
    }
}
