package io.shuttlebridge.core.internal.sync;

import io.shuttlebridge.core.sync.SyncEngine;
import java.util.Objects;
import java.util.function.Function;

/**
 * Reaches the internals of a {@link SyncEngine} (its schema, an applier for bundles) from other parts
 * of Shuttle, so that the public engine does not expose internal types. {@code SyncEngine} installs the
 * way in when its class is initialized, which has happened once an engine exists. Internal.
 */
public final class EngineAccess {
    private static volatile Function<SyncEngine, EngineContext> contexts;

    private EngineAccess() {}

    /** Called once, by {@code SyncEngine}. */
    public static void install(Function<SyncEngine, EngineContext> contextOf) {
        if (contexts != null) {
            throw new IllegalStateException("the engine access is installed already");
        }
        contexts = Objects.requireNonNull(contextOf);
    }

    public static EngineContext context(SyncEngine engine) {
        return contexts.apply(Objects.requireNonNull(engine, "engine"));
    }
}
