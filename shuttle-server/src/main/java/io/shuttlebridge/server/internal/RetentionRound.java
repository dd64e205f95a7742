package io.shuttlebridge.server.internal;

import io.shuttlebridge.core.internal.DurationText;
import io.shuttlebridge.core.sync.SyncEngine;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One round of a hub's retention, what {@code shuttle serve} runs every {@code --purge-every}: retires
 * the devices silent for longer than {@code retireAfter} (freeing their short ids), forgets the records
 * of what ended more than {@code keepHistory} ago, then purges the tombstones every device it still
 * knows has acknowledged. Runs on the time of the engine's clock, so a simulation on a clock of its own
 * runs it at simulated periods ({@link TombstonePurger} runs it on the real clock's).
 */
public final class RetentionRound {
    private static final Logger log = LoggerFactory.getLogger(RetentionRound.class);

    /** What a round did: devices retired, history records forgotten by table, tombstones purged. */
    public record Result(List<String> retired, Map<String, Integer> forgotten, int purged) {}

    private final SyncEngine engine;
    private final Duration retireAfter;
    private final Duration keepHistory;

    /**
     * @param retireAfter devices silent this long are retired first; null for never
     * @param keepHistory how long records of what ended are kept; null for ever
     */
    public RetentionRound(SyncEngine engine, Duration retireAfter, Duration keepHistory) {
        this.engine = engine;
        this.retireAfter = retireAfter;
        this.keepHistory = keepHistory;
    }

    public Result run() {
        List<String> retired = List.of();
        if (retireAfter != null) {
            retired = engine.retireSilentPeers(retireAfter);
            for (String node : retired) {
                LeaseStore.release(engine.database(), node);
                log.info(
                        "retired device {}: not heard from for {}; it must clone again",
                        node,
                        DurationText.of(retireAfter.toMillis()));
            }
        }
        Map<String, Integer> forgotten = Map.of();
        if (keepHistory != null) {
            forgotten = engine.pruneHistory(keepHistory);
            forgotten.forEach(
                    (table, n) -> log.info("forgot {} records of {} ended over {} ago", n, table, keepHistory));
        }
        int purged = engine.purgeTombstones();
        if (purged > 0) {
            log.info("purged {} tombstones every known device has acknowledged", purged);
        }
        return new Result(retired, forgotten, purged);
    }
}
