package io.shuttlebridge.spring.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.server.HubServer;
import io.shuttlebridge.server.auth.Authenticator;
import io.shuttlebridge.spring.ShuttleHub;
import io.shuttlebridge.spring.ShuttleProperties;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.web.context.ServletContextAware;

/**
 * A hub served by the application ({@code shuttle.mode=hub}). Started with the application context,
 * once every bean exists (Flyway's migrations have run) and before the web server takes requests:
 * capture is enabled on the application's {@code DataSource}, and the hub's servlet (the same
 * handlers, checks and error answers as {@code shuttle serve}) answers its paths on the application's
 * server, behind the application's filters (Spring Security's chain among them). Stopped after the web
 * server has finished its requests: pushes still running finish, streams are closed.
 */
public final class HubRuntime implements ShuttleHub, SmartLifecycle, ServletContextAware {
    private static final Logger log = LoggerFactory.getLogger(HubRuntime.class);

    private final ShuttleProperties.Capture capture;
    private final Supplier<DataSource> dataSource;
    private final Authenticator authenticator;
    private final Supplier<MeterRegistry> meters;
    private final HubServletProxy proxy;
    private volatile HubServer hub;
    private volatile SyncEngine engine;
    private ServletContext servletContext;

    @Override
    public void setServletContext(ServletContext context) {
        this.servletContext = context;
    }

    public HubRuntime(
            ShuttleProperties properties,
            Supplier<DataSource> dataSource,
            Authenticator authenticator,
            Supplier<MeterRegistry> meters,
            HubServletProxy proxy) {
        this.capture = properties.getCapture();
        this.dataSource = dataSource;
        this.authenticator = authenticator;
        this.meters = meters;
        this.proxy = proxy;
    }

    @Override
    public synchronized void start() {
        if (hub != null) {
            return;
        }
        DataSource ds = dataSource.get();
        if (ds == null) {
            throw new IllegalStateException("shuttle.mode=hub needs the application's DataSource"
                    + " (spring.datasource.url=jdbc:postgresql://..., say)");
        }
        ShuttleDatabase db = ShuttleDatabase.of(ds);
        Capture.EnableResult enabled = CaptureSetup.enable(db, capture);
        SyncEngine e = SyncEngine.open(db);
        HubServer.Builder b = HubServer.builder(e).authenticator(authenticator);
        MeterRegistry registry = meters.get();
        if (registry != null) {
            b.meterRegistry(registry);
        }
        HubServer h = b.mount();
        try {
            proxy.serve(h.servlet());
            if (HubStream.available(servletContext)) {
                HubStream.serve(h, servletContext);
            } else {
                log.warn(
                        "the application's server has no WebSocket container: the hub's stream ({}) is not served,"
                                + " and live devices sync only every shuttle.sync.interval",
                        "/v1/sync/stream");
            }
        } catch (ServletException | RuntimeException x) {
            proxy.unserve();
            h.close();
            throw new IllegalStateException("the hub's servlet would not start: " + x.getMessage(), x);
        }
        this.engine = e;
        this.hub = h;
        log.info(
                "hub over {} syncing {} (node {})", db.displayUrl(), String.join(", ", enabled.tables()), e.nodeUuid());
    }

    @Override
    public void stop() {
        HubServer h;
        synchronized (this) {
            h = hub;
            hub = null;
        }
        if (h != null) {
            proxy.unserve();
            h.close();
        }
    }

    @Override
    public boolean isRunning() {
        return hub != null;
    }

    @Override
    public int getPhase() {
        return DeviceRuntime.PHASE;
    }

    @Override
    public SyncEngine engine() {
        SyncEngine e = engine;
        if (e == null) {
            throw new IllegalStateException("the hub's engine exists once the application has started");
        }
        return e;
    }

    @Override
    public int openStreams() {
        HubServer h = hub;
        return h == null ? 0 : h.openStreams();
    }
}
