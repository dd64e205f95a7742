package io.shuttlebridge.spring.internal;

import io.shuttlebridge.core.capture.ShuttleFlywayCallback;
import io.shuttlebridge.core.sync.SyncEngine;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/**
 * The engine of the application's hub or device once it has started, for the Flyway callback: Flyway
 * migrates while the application starts, before the engine exists (the callback then runs capture on
 * the database itself), and may migrate again later, when the running engine takes the changes. Looks
 * the runtime up without creating it, so that Flyway's start-up never builds it early.
 */
public final class RunningEngine {
    private RunningEngine() {}

    public static ShuttleFlywayCallback callback(ConfigurableListableBeanFactory beans, String runtimeBean) {
        return ShuttleFlywayCallback.refreshing(() -> engine(beans.getSingleton(runtimeBean)));
    }

    private static SyncEngine engine(Object runtime) {
        try {
            if (runtime instanceof HubRuntime h && h.isRunning()) {
                return h.engine();
            }
            if (runtime instanceof DeviceRuntime d && d.isRunning()) {
                return d.engine();
            }
        } catch (IllegalStateException notYet) {
            // starting or stopping right now: the callback runs capture on the database itself
        }
        return null;
    }
}
