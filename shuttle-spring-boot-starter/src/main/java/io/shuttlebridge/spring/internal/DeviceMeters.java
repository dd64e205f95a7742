package io.shuttlebridge.spring.internal;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/** The device's sync on the application's meter registry ({@code shuttle.device.*}). */
public final class DeviceMeters implements MeterBinder {
    private final DeviceRuntime device;

    public DeviceMeters(DeviceRuntime device) {
        this.device = device;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        SyncState s = device.state();
        counter(registry, "shuttle.device.syncs", "syncs that succeeded", s.syncs);
        counter(registry, "shuttle.device.sync.failures", "syncs that failed", s.failures);
        counter(registry, "shuttle.device.changes.pulled", "changes pulled from the hub", s.pulled);
        counter(registry, "shuttle.device.changes.applied", "pulled changes written to this database", s.applied);
        counter(registry, "shuttle.device.changes.pushed", "changes the hub took from this device", s.pushed);
        counter(registry, "shuttle.device.conflicts.recorded", "conflicts syncs recorded", s.conflicts);
        counter(registry, "shuttle.device.changes.rejected", "changes the hub refused to store", s.rejected);
        gauge(
                registry,
                "shuttle.device.pending",
                "changes made here and not yet pushed",
                d -> d.counts().pending());
        gauge(
                registry,
                "shuttle.device.rejected.open",
                "refused writes not dismissed",
                d -> d.counts().rejected());
        gauge(
                registry,
                "shuttle.device.conflicts.open",
                "conflicts waiting to be resolved",
                d -> d.counts().conflicts());
        gauge(
                registry,
                "shuttle.device.stream.connected",
                "1 while the hub's stream is open",
                d -> d.status().streamConnected() ? 1 : 0);
        Gauge.builder("shuttle.device.last.success.age", device, d -> {
                    Instant at = d.status().lastSuccess();
                    return at == null ? Double.NaN : (System.currentTimeMillis() - at.toEpochMilli()) / 1000.0;
                })
                .description("seconds since the last successful sync")
                .baseUnit("seconds")
                .register(registry);
    }

    private void counter(MeterRegistry registry, String name, String description, AtomicLong value) {
        FunctionCounter.builder(name, value, AtomicLong::doubleValue)
                .description(description)
                .register(registry);
    }

    private void gauge(MeterRegistry registry, String name, String description, ToDoubleFunction<DeviceRuntime> f) {
        Gauge.builder(name, device, d -> {
                    if (!d.isRunning()) {
                        return Double.NaN;
                    }
                    try {
                        return f.applyAsDouble(d);
                    } catch (RuntimeException e) {
                        return Double.NaN;
                    }
                })
                .description(description)
                .register(registry);
    }
}
