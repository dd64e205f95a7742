package io.shuttlebridge.server.internal;

import io.shuttlebridge.core.sync.SyncEngine;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Purges, on a schedule, the tombstones every known device has acknowledged, so that deletes do not
 * pile up in the hub's feed for ever; a device retired with {@code shuttle node retire} no longer
 * holds them back, nor does one silent for longer than the retirement time ({@code shuttle serve
 * --retire-after}), which is retired first.
 */
public final class TombstonePurger implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TombstonePurger.class);
    private final ScheduledExecutorService timer = DaemonTimer.named("shuttle-tombstone-purge");

    /** @param retireAfter devices silent this long are retired first (their leases freed); null for never */
    public TombstonePurger(SyncEngine engine, Duration every, Duration retireAfter, Duration keepHistory) {
        RetentionRound round = new RetentionRound(engine, retireAfter, keepHistory);
        timer.scheduleWithFixedDelay(
                () -> {
                    try {
                        round.run();
                    } catch (RuntimeException e) {
                        log.warn("purging tombstones failed (will try again): {}", e.getMessage());
                        log.debug("purging tombstones failed", e);
                    }
                },
                every.toMillis(),
                every.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
