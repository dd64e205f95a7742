package io.shuttlebridge.core.capture;

import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.sync.SyncEngine;
import java.util.Objects;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Flyway {@link Callback} that runs capture again after {@code migrate} (DESIGN §10): the additive
 * changes the migrations made to synced tables (a new nullable or defaulted column, a new table when
 * capture covers every table) are taken at once, as {@link Capture#applySchema} takes them, and the
 * destructive ones are logged as refused, with what to do. A database sync is not enabled on yet (the
 * first migration of a new application) is left alone.
 *
 * <pre>{@code
 * Flyway.configure().dataSource(url, user, password)
 *         .callbacks(ShuttleFlywayCallback.refreshing(hubEngine)) // or new ShuttleFlywayCallback()
 *         .load().migrate();
 * }</pre>
 *
 * Given the {@link SyncEngine} of a hub running in the same application, the engine takes the changes
 * itself and serves them under the new schema version at once (devices get them on their next sync),
 * instead of at its next feed-watch tick. The Spring Boot starter registers one when Flyway is on the
 * class path. Flyway ({@code org.flywaydb:flyway-core}) is the application's dependency: the core does
 * not bring it.
 */
public final class ShuttleFlywayCallback implements Callback {
    private static final Logger log = LoggerFactory.getLogger(ShuttleFlywayCallback.class);

    private final Supplier<SyncEngine> engine;

    /** Takes the changes on the migrated database itself (through Flyway's {@code DataSource}). */
    public ShuttleFlywayCallback() {
        this(() -> null);
    }

    private ShuttleFlywayCallback(Supplier<SyncEngine> engine) {
        this.engine = engine;
    }

    /** Has {@code engine}, over the database Flyway migrates, take the changes and serve them at once. */
    public static ShuttleFlywayCallback refreshing(SyncEngine engine) {
        Objects.requireNonNull(engine, "engine");
        return new ShuttleFlywayCallback(() -> engine);
    }

    /**
     * Has the engine {@code engine} gives, when it gives one (an engine that starts after the first
     * migration, say), take the changes; otherwise takes them on the migrated database itself.
     */
    public static ShuttleFlywayCallback refreshing(Supplier<SyncEngine> engine) {
        return new ShuttleFlywayCallback(Objects.requireNonNull(engine, "engine"));
    }

    @Override
    public boolean supports(Event event, Context context) {
        return event == Event.AFTER_MIGRATE;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public void handle(Event event, Context context) {
        SyncEngine running = engine.get();
        SchemaChanges r;
        String where;
        if (running != null) {
            r = running.refreshSchema();
            where = io.shuttlebridge.core.internal.dialect.Identifiers.redactUrl(
                    running.database().displayUrl());
        } else {
            DataSource ds = context.getConfiguration().getDataSource();
            if (ds == null) {
                log.warn("Flyway has no DataSource to read the migrated tables through: capture not run again");
                return;
            }
            try (ShuttleDatabase db = ShuttleDatabase.of(ds)) {
                if (!db.read(c -> SyncSchema.isInitialized(c, Dialects.of(db)))) {
                    log.debug("sync is not enabled on {}: nothing to capture after migrate", db.displayUrl());
                    return;
                }
                r = Capture.applySchema(db);
                where = io.shuttlebridge.core.internal.dialect.Identifiers.redactUrl(db.displayUrl());
            }
        }
        if (!r.safe().isEmpty()) {
            log.info(
                    "after migrate, capture of {} took (schema version {}): {}",
                    where,
                    r.version(),
                    String.join("; ", r.safe()));
        }
        if (!r.refused().isEmpty()) {
            log.warn(
                    "after migrate, capture of {} refused (those tables keep syncing with their captured shape; see"
                            + " 'shuttle schema check'): {}",
                    where,
                    String.join("; ", r.refused()));
        }
    }

    @Override
    public String getCallbackName() {
        return "shuttle";
    }
}
