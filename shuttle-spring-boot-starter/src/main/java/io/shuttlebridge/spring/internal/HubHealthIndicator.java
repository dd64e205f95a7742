package io.shuttlebridge.spring.internal;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** The hub in the application's health (component {@code shuttle}): its database's feed answering, and its streams. */
public final class HubHealthIndicator implements HealthIndicator {
    private final HubRuntime hub;

    public HubHealthIndicator(HubRuntime hub) {
        this.hub = hub;
    }

    @Override
    public Health health() {
        if (!hub.isRunning()) {
            return Health.unknown()
                    .withDetail("mode", "hub")
                    .withDetail("state", "not running")
                    .build();
        }
        try {
            return Health.up()
                    .withDetail("mode", "hub")
                    .withDetail("node", hub.engine().nodeUuid())
                    .withDetail("feedPosition", hub.engine().feedPosition())
                    .withDetail("openStreams", hub.openStreams())
                    .build();
        } catch (RuntimeException e) {
            return Health.down(e).withDetail("mode", "hub").build();
        }
    }
}
