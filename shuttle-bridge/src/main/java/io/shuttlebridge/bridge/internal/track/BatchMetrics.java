package io.shuttlebridge.bridge.internal.track;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.shuttlebridge.bridge.BatchCounts;
import io.shuttlebridge.bridge.BatchReport;
import io.shuttlebridge.bridge.internal.record.Stage;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Batch metrics through Micrometer (exported as Prometheus text by the hub):
 * {@code shuttle_bridge_records_total{entity,outcome}}, {@code shuttle_bridge_batches_total{entity,outcome}},
 * {@code shuttle_bridge_batch_duration_seconds{entity}}, {@code shuttle_bridge_stage_duration_seconds{entity,stage}},
 * and gauges {@code shuttle_bridge_last_rows_per_second{entity}} and {@code shuttle_bridge_pending_children{entity}}.
 */
public final class BatchMetrics {
    private final MeterRegistry registry;
    private final Map<String, AtomicLong> rowsPerSecond = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> pending = new ConcurrentHashMap<>();

    public BatchMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void record(BatchReport report, long pendingNow) {
        if (registry == null) {
            return;
        }
        String entity = report.entity();
        BatchCounts c = report.counts();
        count(entity, "fetched", c.fetched());
        count(entity, "normalized", c.normalized());
        count(entity, "invalid", c.invalid());
        count(entity, "mapped", c.mapped());
        count(entity, "inserted", c.inserted());
        count(entity, "updated", c.updated());
        count(entity, "unchanged", c.unchanged());
        count(entity, "deleted", c.deleted());
        count(entity, "pending", c.pending());
        count(entity, "resolved", c.resolved());
        count(entity, "dead_lettered", c.deadLettered());
        count(entity, "retried", c.retried());
        Counter.builder("shuttle.bridge.batches")
                .tag("entity", entity)
                .tag("outcome", report.outcome().name().toLowerCase(Locale.ROOT))
                .register(registry)
                .increment();
        if (report.elapsed() != null) {
            Timer.builder("shuttle.bridge.batch.duration")
                    .tag("entity", entity)
                    .register(registry)
                    .record(report.elapsed());
        }
        for (Stage s : Stage.values()) {
            String name = s.name().toLowerCase(Locale.ROOT);
            Long ms = report.stageMillis().get(name);
            if (ms != null) {
                Timer.builder("shuttle.bridge.stage.duration")
                        .tag("entity", entity)
                        .tag("stage", name)
                        .register(registry)
                        .record(Duration.ofMillis(ms));
            }
        }
        gauge("shuttle.bridge.last.rows.per.second", rowsPerSecond, entity).set(Math.round(report.rowsPerSecond()));
        gauge("shuttle.bridge.pending.children", pending, entity).set(pendingNow);
    }

    private void count(String entity, String outcome, long n) {
        if (n > 0) {
            Counter.builder("shuttle.bridge.records")
                    .tag("entity", entity)
                    .tag("outcome", outcome)
                    .register(registry)
                    .increment(n);
        }
    }

    private AtomicLong gauge(String name, Map<String, AtomicLong> values, String entity) {
        return values.computeIfAbsent(
                entity, e -> registry.gauge(name, List.of(Tag.of("entity", e)), new AtomicLong()));
    }
}
