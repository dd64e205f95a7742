package io.shuttlebridge.spring.internal;

import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.client.TokenProvider;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.core.sync.SyncReport;
import io.shuttlebridge.spring.ShuttleProperties;
import io.shuttlebridge.spring.ShuttleSync;
import io.shuttlebridge.spring.ShuttleSyncListener;
import io.shuttlebridge.spring.ShuttleSyncStatus;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * A device application's sync ({@code shuttle.mode=device}). Started with the application context,
 * once every bean exists (Flyway's migrations, Hibernate's schema, have run) and before the web
 * server takes requests: capture is enabled on the application's {@code DataSource} (every table, or
 * {@code shuttle.capture.tables}), then syncs run in the background. Stopped after the web server: the
 * sync running finishes, none starts after.
 */
public final class DeviceRuntime implements ShuttleSync, SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(DeviceRuntime.class);

    /** Before the web server starts (it starts at {@code DEFAULT_PHASE - 2048}), and so stopped after it. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private final ShuttleProperties.Sync settings;
    private final ShuttleProperties.Capture capture;
    private final Supplier<DataSource> dataSource;
    private final TokenProvider tokens;
    private final SyncState state = new SyncState(Clock.systemUTC());
    private final SyncEvents events;
    private final DeviceCounts counts = new DeviceCounts(this, Duration.ofSeconds(1));
    private volatile ShuttleDatabase db;
    private volatile SyncEngine engine;
    private volatile HubContact contact;
    private volatile SyncLoop loop;
    private volatile boolean running;
    private final Supplier<List<ShuttleSyncListener>> listenerBeans;

    /**
     * @param listenerBeans the application's {@link ShuttleSyncListener} beans, registered at start (a
     *     listener may need this bean)
     */
    public DeviceRuntime(
            ShuttleProperties properties,
            Supplier<DataSource> dataSource,
            TokenProvider tokens,
            Supplier<List<ShuttleSyncListener>> listenerBeans) {
        this.listenerBeans = listenerBeans;
        this.settings = properties.getSync();
        this.capture = properties.getCapture();
        this.dataSource = dataSource;
        this.tokens = tokens;
        URI hub = settings.getHubUrl();
        if (hub == null) {
            throw new IllegalStateException("shuttle.mode=device needs shuttle.sync.hub-url: the hub's base URL,"
                    + " e.g. http://hub.example.com:7070");
        }
        if (!"http".equals(hub.getScheme()) && !"https".equals(hub.getScheme())) {
            throw new IllegalStateException(
                    "shuttle.sync.hub-url must be an http:// or https:// URL, got '" + hub + "'");
        }
        positive("shuttle.sync.interval", settings.getInterval());
        positive("shuttle.sync.shutdown-timeout", settings.getShutdownTimeout());
        this.events = new SyncEvents(state, hub.toString());
        events.add(
                new ShuttleSyncListener() { // what is pending changes with every sync
                    @Override
                    public void synced(SyncReport report) {
                        counts.invalidate();
                    }

                    @Override
                    public void failed(RuntimeException error) {
                        counts.invalidate();
                    }
                });
    }

    private static void positive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalStateException(name + " must be a positive duration (30s, 5m, ...), got " + d);
        }
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        DataSource ds = dataSource.get();
        if (ds == null) {
            throw new IllegalStateException("shuttle.mode=device needs the application's DataSource"
                    + " (spring.datasource.url=jdbc:sqlite:/path/to/device.db, say)");
        }
        listenerBeans.get().forEach(events::add);
        ShuttleDatabase database = ShuttleDatabase.of(ds);
        Capture.EnableResult enabled = CaptureSetup.enable(database, capture);
        log.info(
                "capturing {} on {} as node {}",
                String.join(", ", enabled.tables()),
                database.displayUrl(),
                enabled.nodeUuid());
        SyncEngine e =
                SyncEngine.builder(database).applyListener(events::applied).build();
        HttpTransport hub = HttpTransport.builder(settings.getHubUrl())
                .tokenProvider(tokens)
                .build();
        HubContact c = new HubContact(database, hub);
        this.db = database;
        this.engine = e;
        this.contact = c;
        this.loop = settings.isLive()
                ? new LiveLoop(e, hub, c, events, settings.getInterval())
                : new IntervalLoop(e, hub, c, events, settings.getInterval());
        running = true;
        log.info(
                "syncing with {} {}",
                hub.hub(),
                settings.isLive() ? "live on its stream" : "every " + settings.getInterval());
    }

    @Override
    public void stop() {
        SyncLoop l;
        synchronized (this) {
            if (!running) {
                return;
            }
            running = false;
            l = loop;
        }
        l.close(settings.getShutdownTimeout());
        log.info("sync with {} stopped", settings.getHubUrl());
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    @Override
    public SyncReport sync() {
        return started().sync();
    }

    @Override
    public void requestSync() {
        started().request();
    }

    private SyncLoop started() {
        SyncLoop l = loop;
        if (l == null || !running) {
            throw new IllegalStateException(
                    "the device's sync runs once the application has started (after ApplicationReadyEvent, in a"
                            + " runner or a request), and not after it stopped");
        }
        return l;
    }

    @Override
    public void addListener(ShuttleSyncListener listener) {
        events.add(listener);
    }

    @Override
    public void removeListener(ShuttleSyncListener listener) {
        events.remove(listener);
    }

    @Override
    public ShuttleSyncStatus status() {
        SyncLoop l = loop;
        HubContact c = contact;
        return new ShuttleSyncStatus(
                settings.getHubUrl(),
                c == null ? null : c.known(),
                settings.isLive(),
                l != null && l.connected(),
                state.reachable(),
                state.lastSync(),
                state.lastSuccess(),
                state.lastError(),
                state.syncs.get(),
                state.failures.get());
    }

    @Override
    public SyncEngine engine() {
        SyncEngine e = engine;
        if (e == null) {
            throw new IllegalStateException("the device's engine exists once the application has started");
        }
        return e;
    }

    /** Totals since start-up, for the meters. */
    SyncState state() {
        return state;
    }

    /** Changes made here and not yet pushed to the hub (every local change before the hub was first reached). */
    long pendingChanges() {
        HubContact c = contact;
        return engine().pendingChanges(c == null ? null : c.remembered().orElse(null));
    }

    /** Pending changes, open rejected writes and conflicts, read at most once a second. */
    DeviceCounts.Counts counts() {
        return counts.get();
    }

    ShuttleDatabase database() {
        return db;
    }
}
