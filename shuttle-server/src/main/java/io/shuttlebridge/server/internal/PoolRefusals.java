package io.shuttlebridge.server.internal;

import com.zaxxer.hikari.HikariDataSource;
import io.javalin.http.Context;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.internal.protocol.ErrorCodec;
import io.shuttlebridge.core.internal.protocol.Protocol;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request that found none of the hub's database connections free within the pool's timeout (every one
 * busy with other requests, or the database not letting a new one open) is refused {@code 503
 * UNAVAILABLE} with {@code Retry-After}, not failed as a database error: it waited for its first
 * connection and changed nothing through it, and the device comes back a moment later (its {@code
 * HttpTransport} retries a 503 after the wait asked for). Each refusal is counted ({@code
 * shuttle_db_pool_refusals_total}, by reason) and the log says so at most every ten seconds.
 */
public final class PoolRefusals {
    /** The wait a refused request is asked for, in seconds. */
    public static final int RETRY_AFTER_SECONDS = 1;

    private static final Logger log = LoggerFactory.getLogger(PoolRefusals.class);
    private static final long LOG_EVERY_NANOS = 10_000_000_000L;

    private final ShuttleDatabase db;
    private final HubMetrics metrics;
    private final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);
    private final AtomicLong unlogged = new AtomicLong();

    public PoolRefusals(ShuttleDatabase db, HubMetrics metrics) {
        this.db = db;
        this.metrics = metrics;
    }

    /** Answers {@code ctx} 503 with Retry-After when {@code failure} is a connection not had in time; whether it was. */
    public boolean refuse(Context ctx, Throwable failure) {
        SQLTransientConnectionException timedOut = timedOut(failure);
        if (timedOut == null) {
            return false;
        }
        // the pool keeps why its last try to open a connection failed as the cause; a pool busy to the brim has none
        boolean unreachable = timedOut.getCause() != null;
        metrics.poolRefused(unreachable ? "database unreachable" : "pool busy");
        logNow(ctx, timedOut);
        ctx.header("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
        ctx.status(ErrorCode.UNAVAILABLE.httpStatus())
                .contentType(Protocol.JSON)
                .result(ErrorCodec.write(ErrorCode.UNAVAILABLE.name(), message(unreachable)));
        return true;
    }

    /** The pool's timeout in {@code failure}'s causes, if it is one. */
    static SQLTransientConnectionException timedOut(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException e && e.getSQLState() == null) {
                return e;
            }
        }
        return null;
    }

    private String message(boolean unreachable) {
        String waited = db.dataSource()
                .filter(HikariDataSource.class::isInstance)
                .map(HikariDataSource.class::cast)
                .map(p -> " within " + p.getConnectionTimeout() + " ms")
                .orElse("");
        String why = unreachable
                ? "the hub could not open a database connection" + waited
                : "the hub is busy: none of its database connections came free" + waited;
        return why + "; the request was not carried out: retry in " + RETRY_AFTER_SECONDS + " s";
    }

    private void logNow(Context ctx, SQLTransientConnectionException e) {
        long now = System.nanoTime();
        long last = lastLogged.get();
        if (now - last >= LOG_EVERY_NANOS && lastLogged.compareAndSet(last, now)) {
            long others = unlogged.getAndSet(0);
            log.warn(
                    "{} {} refused 503: {}{}",
                    ctx.method(),
                    ctx.path(),
                    e.getMessage(),
                    others == 0 ? "" : " (and " + others + " more refusals since the last such line)");
        } else {
            unlogged.incrementAndGet();
        }
    }
}
