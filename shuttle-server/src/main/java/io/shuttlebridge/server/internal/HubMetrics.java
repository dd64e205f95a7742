package io.shuttlebridge.server.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shuttlebridge.core.sync.PushResult;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** The hub's meters, exposed in Prometheus text format on {@code /metrics}. */
public final class HubMetrics {
    private final PrometheusMeterRegistry registry;
    private final Counter pushed;
    private final Counter applied;
    private final Counter duplicates;
    private final Counter pulled;
    private final Counter conflicts;
    private final AtomicInteger openStreams = new AtomicInteger();

    public HubMetrics() {
        this(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    /** Shares a registry with other parts of the process (Bridge batch metrics), all scraped at /metrics. */
    public HubMetrics(PrometheusMeterRegistry registry) {
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
        return registry.scrape();
    }
}
