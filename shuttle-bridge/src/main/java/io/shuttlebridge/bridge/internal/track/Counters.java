package io.shuttlebridge.bridge.internal.track;

import io.shuttlebridge.bridge.BatchCounts;
import io.shuttlebridge.bridge.internal.record.Stage;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/** Mutable counts and per-stage times of a running batch (the fetch side runs on its own thread). */
public final class Counters {
    public long fetched;
    public long normalized;
    public long invalid;
    public long mapped;
    public long inserted;
    public long updated;
    public long unchanged;
    public long deleted;
    public long pending;
    public long resolved;
    public long deadLettered;
    public long retried;
    private final AtomicLongArray stageNanos = new AtomicLongArray(Stage.values().length);

    public void addNanos(Stage stage, long nanos) {
        stageNanos.addAndGet(stage.ordinal(), nanos);
    }

    public BatchCounts snapshot() {
        return new BatchCounts(
                fetched,
                normalized,
                invalid,
                mapped,
                inserted,
                updated,
                unchanged,
                deleted,
                pending,
                resolved,
                deadLettered,
                retried);
    }

    public Map<String, Long> stageMillis() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Stage s : Stage.values()) {
            out.put(s.name().toLowerCase(Locale.ROOT), stageNanos.get(s.ordinal()) / 1_000_000);
        }
        return out;
    }
}
