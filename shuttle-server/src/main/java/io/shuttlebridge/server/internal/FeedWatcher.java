package io.shuttlebridge.server.internal;

import io.shuttlebridge.core.sync.SyncEngine;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices feed advances that did not come through a push (writes made directly on the hub
 * database by an application or the {@code sqlite3} shell) by checking the feed position now and then;
 * at the same tick, takes the additive schema changes made to the hub's tables ({@link
 * SyncEngine#refreshSchema()}).
 */
public final class FeedWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FeedWatcher.class);
    private final ScheduledExecutorService timer = DaemonTimer.named("shuttle-feed-watcher");

    public FeedWatcher(SyncEngine engine, Duration every, LongConsumer advanced) {
        timer.scheduleWithFixedDelay(
                () -> {
                    try {
                        advanced.accept(engine.feedPosition());
                    } catch (RuntimeException e) {
                        log.warn("checking the hub feed position failed (will try again): {}", e.getMessage());
                        log.debug("checking the hub feed position failed", e);
                    }
                    try {
                        engine.refreshSchema(); // one cheap catalog query unless the tables changed
                    } catch (RuntimeException e) {
                        log.warn(
                                "checking the hub's tables for schema changes failed (will try again): {}",
                                e.getMessage());
                        log.debug("checking the hub's tables for schema changes failed", e);
                    }
                },
                0,
                every.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
