package io.shuttlebridge.server.internal;

import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.internal.dialect.postgres.FeedNotice;
import io.shuttlebridge.core.sync.SyncEngine;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.LongConsumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hears the database's feed notifications (PostgreSQL {@code LISTEN}) on a connection of its own,
 * so that a hub process tells its stream clients about writes that reached the database through
 * another hub process at once, not at the next feed check. A notice says the feed's new position
 * ({@link FeedNotice}): it is passed on without a query. Reconnects after a failure.
 */
public final class FeedListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FeedListener.class);
    private static final int WAIT_MS = 500;

    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean listening;

    public FeedListener(SyncEngine engine, String channel, LongConsumer advanced) {
        this.thread = Thread.ofVirtual().name("shuttle-feed-listener").start(() -> run(engine, channel, advanced));
    }

    private void run(SyncEngine engine, String channel, LongConsumer advanced) {
        Duration pause = Duration.ofMillis(200);
        while (running) {
            try (Connection c = engine.database().newConnection();
                    Statement s = c.createStatement()) {
                String schema = schemaOf(s);
                s.execute("LISTEN " + Dialects.of(engine.database()).quote(channel));
                PGConnection pg = c.unwrap(PGConnection.class);
                listening = true;
                pause = Duration.ofMillis(200);
                try {
                    while (running) {
                        PGNotification[] heard = pg.getNotifications(WAIT_MS);
                        if (heard != null && heard.length > 0) {
                            long position = FeedNotice.latest(
                                    Arrays.stream(heard)
                                            .map(PGNotification::getParameter)
                                            .toList(),
                                    schema);
                            if (position == FeedNotice.ASK) {
                                advanced.accept(engine.feedPosition());
                            } else if (position != FeedNotice.NOTHING) {
                                advanced.accept(position); // said by the notice: the database is not asked
                            }
                        }
                    }
                } finally {
                    s.execute("UNLISTEN *"); // a pooled connection goes back as it came
                }
            } catch (SQLException | RuntimeException e) {
                listening = false;
                if (!running) {
                    return;
                }
                log.warn(
                        "listening for feed notifications failed, retrying in {} ms: {}",
                        pause.toMillis(),
                        e.getMessage());
                log.debug("listening for feed notifications failed", e);
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                pause = pause.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0
                        ? Duration.ofSeconds(10)
                        : pause.multipliedBy(2);
            }
        }
    }

    /** The schema whose feed this hub serves: notices of other schemas' feeds are not its news. */
    private static String schemaOf(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT current_schema()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Whether it is listening now (false while it reconnects). */
    public boolean listening() {
        return listening;
    }

    @Override
    public void close() {
        running = false; // no interrupt: it would close the connection under the driver (a virtual thread's socket)
        try {
            thread.join(WAIT_MS * 3L); // its connection goes back before the database is closed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
