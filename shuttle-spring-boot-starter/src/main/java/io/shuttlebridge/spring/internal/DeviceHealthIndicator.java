package io.shuttlebridge.spring.internal;

import io.shuttlebridge.spring.ShuttleSyncStatus;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The device's sync in the application's health ({@code /actuator/health}, component {@code
 * shuttle}): UP while its database answers, whether the hub does or not (a device works offline; the
 * details say how it stands: hub reachable, last sync, pending changes, rejected writes); DOWN when
 * the database fails.
 */
public final class DeviceHealthIndicator implements HealthIndicator {
    private final DeviceRuntime device;

    public DeviceHealthIndicator(DeviceRuntime device) {
        this.device = device;
    }

    @Override
    public Health health() {
        ShuttleSyncStatus s = device.status();
        Health.Builder h = Health.up()
                .withDetail("mode", "device")
                .withDetail("hub", s.hub().toString())
                .withDetail("hubReachable", s.hubReachable())
                .withDetail("live", s.live());
        if (s.live()) {
            h.withDetail("streamConnected", s.streamConnected());
        }
        if (s.hubNode() != null) {
            h.withDetail("hubNode", s.hubNode());
        }
        if (s.lastSync() != null) {
            h.withDetail("lastSync", s.lastSync().toString());
        }
        if (s.lastSuccess() != null) {
            h.withDetail("lastSuccess", s.lastSuccess().toString());
        }
        if (s.lastError() != null) {
            h.withDetail("lastError", s.lastError());
        }
        h.withDetail("syncs", s.syncs()).withDetail("failures", s.failures());
        if (!device.isRunning()) {
            return h.unknown().withDetail("state", "not running").build();
        }
        try {
            DeviceCounts.Counts c = device.counts();
            return h.withDetail("pendingChanges", c.pending())
                    .withDetail("rejectedWrites", c.rejected())
                    .withDetail("conflicts", c.conflicts())
                    .build();
        } catch (RuntimeException e) {
            return h.down(e).build();
        }
    }
}
