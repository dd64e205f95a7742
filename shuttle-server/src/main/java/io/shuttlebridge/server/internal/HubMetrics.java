package io.shuttlebridge.server.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shuttlebridge.core.internal.sync.PushTimes;
import io.shuttlebridge.core.sync.PushResult;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The hub's meters, exposed in Prometheus text format on {@code /metrics}. */
public final class HubMetrics {
    private final MeterRegistry registry;
    private final Counter pushed;
    private final Counter applied;
    private final Counter duplicates;
    private final Counter pulled;
    private final Counter conflicts;
    private final AtomicInteger openStreams = new AtomicInteger();

    public HubMetrics() {
        this(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    /**
     * Shares a registry with other parts of the process (Bridge batch metrics, an application's own
     * registry), scraped at /metrics when it is a {@link PrometheusMeterRegistry}.
     */
    public HubMetrics(MeterRegistry registry) {
        this.registry = registry;
        pushed = Counter.builder("shuttle.changes.pushed")
                .description("changes received in pushes")
                .register(registry);
        applied = Counter.builder("shuttle.changes.applied")
                .description("pushed changes the hub applied")
                .register(registry);
        duplicates = Counter.builder("shuttle.changes.duplicate")
                .description("pushed changes the hub already had")
                .register(registry);
        pulled = Counter.builder("shuttle.changes.pulled")
                .description("changes served by pull and snapshot")
                .register(registry);
        conflicts = Counter.builder("shuttle.conflicts")
                .description("conflicts recorded on push")
                .register(registry);
        Gauge.builder("shuttle.streams.open", openStreams, AtomicInteger::get)
                .description("open WebSocket streams")
                .register(registry);
        lag = DistributionSummary.builder("shuttle.device.lag")
                .description("feed positions a pulling device was behind the feed")
                .baseUnit("changes")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
    }

    public void pushed(int received, PushResult r) {
        pushed.increment(received);
        applied.increment(r.applied());
        duplicates.increment(r.duplicates());
        conflicts.increment(r.conflicts().size());
    }

    public void pulled(int n) {
        pulled.increment(n);
    }

    private DistributionSummary lag;

    /** A snapshot page read ahead was asked for ({@code used}), or dropped unasked or failed. */
    public void snapshotReadAhead(boolean used) {
        result(
                "shuttle.snapshot.read.ahead",
                "snapshot pages read ahead under rules and then asked for (used) or not (unused)",
                used ? "used" : "unused");
    }

    /** A pull was answered with a page shared with other devices ({@code hit}) or one read for it. */
    public void sharedPull(boolean hit) {
        result(
                "shuttle.pulls.shared",
                "pulls answered from a page read once for many devices (hit) or read for them (miss)",
                hit ? "hit" : "miss");
    }

    /** Counts one more of counter {@code name} tagged {@code result}. */
    private void result(String name, String description, String result) {
        Counter.builder(name)
                .description(description)
                .tag("result", result)
                .register(registry)
                .increment();
    }

    /** A pull was served by {@code source}: {@code replica} (the hot standby) or {@code primary} (it lagged). */
    public void pulledFrom(String source) {
        Counter.builder("shuttle.pulls.served")
                .description("pulls served, by the database that served them, when a read replica is configured")
                .tag("source", source)
                .register(registry)
                .increment();
    }

    /** A device pulled from {@code since} while the feed was at {@code top}: how many positions it was behind. */
    public void lag(long since, long top) {
        if (top >= since) {
            lag.record(top - since);
        }
    }

    /** The stream's notifications written, coalesced and streams dropped, read from {@code stream} at each scrape. */
    public void streams(StreamHub stream) {
        FunctionCounter.builder("shuttle.stream.notifications.sent", stream, StreamHub::sent)
                .description("notifications written to streams")
                .register(registry);
        FunctionCounter.builder("shuttle.stream.notifications.coalesced", stream, StreamHub::coalesced)
                .description("feed positions a stream did not hear because a newer one replaced them")
                .register(registry);
        FunctionCounter.builder("shuttle.stream.notifications.skipped", stream, StreamHub::skipped)
                .description("feed advances told to no stream: their entries concern no device (sync rules)")
                .register(registry);
        FunctionCounter.builder("shuttle.stream.dropped", stream, StreamHub::dropped)
                .description("streams dropped: a write failed, or silent after heartbeats")
                .register(registry);
        FunctionCounter.builder("shuttle.stream.notifications.dropped", stream, StreamHub::droppedNotifications)
                .description("notifications a dropped stream never got: the one being written, and one waiting")
                .register(registry);
    }

    /**
     * What the engine's pushes wait for: each push's queue time (from its arrival until the transaction it
     * commits in starts: its group's, or its own), each such transaction's time and how many pushes it
     * committed.
     */
    public PushTimes.Watcher pushTimes() {
        Timer queued = Timer.builder("shuttle.push.queue")
                .description("time a push waited from its arrival until the transaction it commits in started")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        Timer transaction = Timer.builder("shuttle.push.transaction")
                .description("time a transaction of pushes took, from asking for its connection to its commit")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        DistributionSummary group = DistributionSummary.builder("shuttle.push.group")
                .description("pushes committed in one transaction (group commit)")
                .baseUnit("pushes")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        return new PushTimes.Watcher() {
            @Override
            public void queued(long nanos) {
                queued.record(nanos, TimeUnit.NANOSECONDS);
            }

            @Override
            public void committed(int pushes, long nanos) {
                transaction.record(nanos, TimeUnit.NANOSECONDS);
                group.record(pushes);
            }
        };
    }

    /** Gauges of a HikariCP pool's connections: active, idle, callers waiting for one, and the maximum. */
    public void pool(com.zaxxer.hikari.HikariDataSource pool) {
        Gauge.builder(
                        "shuttle.db.pool.active",
                        pool,
                        p -> p.getHikariPoolMXBean().getActiveConnections())
                .description("database connections in use")
                .register(registry);
        Gauge.builder("shuttle.db.pool.idle", pool, p -> p.getHikariPoolMXBean().getIdleConnections())
                .description("database connections idle")
                .register(registry);
        Gauge.builder(
                        "shuttle.db.pool.pending",
                        pool,
                        p -> p.getHikariPoolMXBean().getThreadsAwaitingConnection())
                .description("requests waiting for a database connection")
                .register(registry);
        Gauge.builder("shuttle.db.pool.max", pool, p -> p.getMaximumPoolSize())
                .description("most database connections the pool opens")
                .register(registry);
        refusals("pool busy");
        refusals("database unreachable");
    }

    /** Gauges of the reads a pooled hub serves at once ({@link ReadSlots}): their number and the reads waiting for one. */
    public void readSlots(ReadSlots slots) {
        if (slots.size() == 0) {
            return;
        }
        Gauge.builder("shuttle.reads.slots", slots, ReadSlots::size)
                .description(
                        "pulls, snapshot pages and row diffs served at once (the rest of the pool is left to pushes)")
                .register(registry);
        Gauge.builder("shuttle.reads.waiting", slots, ReadSlots::waiting)
                .description("pulls, snapshot pages and row diffs waiting for their turn")
                .register(registry);
    }

    /**
     * A request was refused 503 because no database connection could be had within the pool's timeout: every
     * one in use ({@code pool busy}), or none could be opened ({@code database unreachable}).
     */
    public void poolRefused(String reason) {
        refusals(reason).increment();
    }

    private Counter refusals(String reason) {
        return Counter.builder("shuttle.db.pool.refusals")
                .description("requests refused 503 with Retry-After: no database connection within the pool's timeout")
                .tag("reason", reason)
                .register(registry);
    }

    public AtomicInteger openStreams() {
        return openStreams;
    }

    public void request(String method, String route, int status, Duration took) {
        Timer.builder("shuttle.http.requests")
                .description("request latency")
                .tag("method", method)
                .tag("route", route)
                .tag("status", Integer.toString(status))
                .publishPercentileHistogram(false)
                .register(registry)
                .record(took);
    }

    public String scrape() {
        return registry instanceof PrometheusMeterRegistry p ? p.scrape() : "";
    }
}
