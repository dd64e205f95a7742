package io.shuttlebridge.server;

import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.compression.Gzip;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shuttlebridge.bridge.BridgeService;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.id.MillisClock;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.internal.protocol.ErrorCodec;
import io.shuttlebridge.core.internal.protocol.Protocol;
import io.shuttlebridge.core.internal.sync.EngineAccess;
import io.shuttlebridge.core.protocol.HubLimits;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.server.auth.Authenticator;
import io.shuttlebridge.server.auth.JwtAuthenticator;
import io.shuttlebridge.server.internal.BodyReader;
import io.shuttlebridge.server.internal.BridgeApi;
import io.shuttlebridge.server.internal.ErrorAnswers;
import io.shuttlebridge.server.internal.FeedListener;
import io.shuttlebridge.server.internal.FeedWatcher;
import io.shuttlebridge.server.internal.HubDurability;
import io.shuttlebridge.server.internal.HubMetrics;
import io.shuttlebridge.server.internal.JsonErrorPages;
import io.shuttlebridge.server.internal.LeaseStore;
import io.shuttlebridge.server.internal.NodeBindings;
import io.shuttlebridge.server.internal.PoolRefusals;
import io.shuttlebridge.server.internal.PushGate;
import io.shuttlebridge.server.internal.RateLimiter;
import io.shuttlebridge.server.internal.Readiness;
import io.shuttlebridge.server.internal.RequestAuth;
import io.shuttlebridge.server.internal.RequestRates;
import io.shuttlebridge.server.internal.StreamHub;
import io.shuttlebridge.server.internal.SyncApi;
import io.shuttlebridge.server.internal.TlsConnector;
import io.shuttlebridge.server.internal.TlsIdentity;
import io.shuttlebridge.server.internal.TombstonePurger;
import io.shuttlebridge.server.internal.rules.OldRowImages;
import io.shuttlebridge.server.internal.rules.RulesCheck;
import io.shuttlebridge.server.rules.SyncRules;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hub over HTTP and WebSocket (protocol v1, DESIGN §6) on Javalin/Jetty 12 with virtual threads.
 *
 * <pre>{@code
 * try (HubServer hub = HubServer.builder(engine).port(0).token("s3cret").start()) {
 *     URI url = hub.url();
 * }
 * }</pre>
 *
 * <p>{@link #close} is graceful: new pushes are refused with 503, pushes in flight finish, streams
 * are closed, then the server stops.
 */
public final class HubServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HubServer.class);
    /** How much of a refused request's unread body is read and dropped so that its answer arrives. */
    private static final long UNREAD_BODY_DROPPED = 64 * 1024;

    private final Javalin app;
    private final SyncEngine engine;
    private final PushGate gate;
    private final StreamHub stream;
    private final FeedWatcher watcher;
    private final TombstonePurger purger;
    private volatile FeedListener listener; // set once the server listens
    private final Duration shutdownTimeout;
    private final String host;
    private final boolean tls;
    /** False for a hub mounted in another server ({@link Builder#mount}): no port of its own. */
    private final boolean listening;

    private final RequestAuth auth;
    private io.shuttlebridge.server.internal.JakartaStream jakartaStream; // set when served through a container
    private boolean closed;

    private HubServer(Builder b, boolean listen) {
        this.listening = listen;
        HubMetrics metrics = b.meterRegistry == null ? new HubMetrics() : new HubMetrics(b.meterRegistry);
        this.gate = new PushGate();
        this.engine = b.engine;
        this.shutdownTimeout = b.shutdownTimeout;
        this.host = b.host;
        this.tls = b.tls != null;
        RequestAuth auth = new RequestAuth(b.authenticator);
        this.auth = auth;
        RequestRates rates = b.ratePerSecond == 0
                ? null
                : new RequestRates(
                        new RateLimiter(b.ratePerSecond, b.rateBurst, b.clock == null ? MillisClock.system() : b.clock),
                        b.ratePerSecond,
                        b.rateBurst);
        this.stream = new StreamHub(metrics.openStreams(), auth, b.streamSilence);
        metrics.streams(stream);
        EngineAccess.context(b.engine).pushTimes().watch(metrics.pushTimes());
        Readiness readiness = new Readiness(b.engine.database(), () -> this.listener, stream::size);
        b.engine.database().dataSource().ifPresent(ds -> {
            if (ds instanceof com.zaxxer.hikari.HikariDataSource pool) {
                metrics.pool(pool);
            }
        });
        LeaseStore leases =
                new LeaseStore(b.engine.database(), b.clock == null ? b.engine.clock() : b.clock, b.leaseTtl);
        PoolRefusals busy = new PoolRefusals(b.engine.database(), metrics);
        BodyReader body = new BodyReader(b.maxBodyBytes);
        NodeBindings bindings = new NodeBindings(b.engine.database(), b.clock == null ? b.engine.clock() : b.clock);
        if (b.rules != null) {
            RulesCheck.validate(
                    b.rules, b.engine.database(), EngineAccess.context(b.engine).schema());
            // a delete goes to the subjects that could read the row as it was: its image is kept
            OldRowImages.install(
                    b.rules, b.engine.database(), EngineAccess.context(b.engine).schema());
        }
        HubDurability.check(b.engine.database());
        SyncApi api = new SyncApi(
                b.engine, leases, body, b.maxBatch, gate, stream, metrics, bindings, b.rules, b.readDatabase);
        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.concurrency.useVirtualThreads = true;
            // the fastest gzip level: pages of changes compress about as well at 1 as at the default 6, in a third of
            // the time
            cfg.http.compressionStrategy = new CompressionStrategy(null, new Gzip(1));
            cfg.http.maxRequestSize = b.maxBodyBytes;
            cfg.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorPages()));
            // a device that vanished without closing its stream is dropped once no ping has been answered for this long
            cfg.jetty.modifyWebSocketServletFactory(f -> f.setIdleTimeout(Duration.ofSeconds(StreamHub.IDLE_SECONDS)));
            if (b.tls != null) {
                cfg.jetty.addConnector((server, http) -> TlsConnector.create(server, http, b.tls, b.host, b.port));
            }
            cfg.requestLogger.http((ctx, ms) ->
                    metrics.request(ctx.method().name(), route(ctx.path()), ctx.statusCode(), Duration.ofNanos((long)
                            (ms * 1_000_000))));
            // every answer, refusals included, tells the device the hub's time (its clock skew, DESIGN §8)
            cfg.routes.before(ctx -> ctx.header(
                    Protocol.HUB_TIME_HEADER, Long.toString(b.engine.clock().millis())));
            cfg.routes.before(ctx -> {
                if (!Protocol.HEALTH.equals(ctx.path()) && !Protocol.READY.equals(ctx.path())) {
                    auth.http(ctx);
                    if (rates != null) {
                        rates.admit(ctx);
                    }
                }
            });
            cfg.routes.wsBeforeUpgrade(Protocol.STREAM, ctx -> {
                auth.upgrade(ctx);
                if (rates != null) {
                    rates.admit(ctx);
                }
            });
            cfg.routes.get(
                    Protocol.HEALTH,
                    ctx -> ctx.contentType(Protocol.JSON)
                            .result("{\"status\":\"ok\",\"protocol\":" + Protocol.VERSION + ",\"hubNode\":\""
                                    + b.engine.nodeUuid() + "\"}"));
            cfg.routes.get(Protocol.READY, ctx -> {
                Readiness.Report r = readiness.check();
                ctx.status(r.ready() ? 200 : 503).contentType(Protocol.JSON).result(r.json());
            });
            cfg.routes.get(
                    Protocol.METRICS,
                    ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                            .result(metrics.scrape()));
            cfg.routes.post(Protocol.LEASE, api::lease);
            cfg.routes.get(Protocol.SCHEMA, api::schema);
            cfg.routes.post(Protocol.PUSH, api::push);
            cfg.routes.get(Protocol.PULL, api::pull);
            cfg.routes.get(Protocol.SNAPSHOT, api::snapshot);
            cfg.routes.get(Protocol.DIGEST, api::digest);
            cfg.routes.post(Protocol.DIFF, api::diff);
            cfg.routes.get(Protocol.MOVED, api::moved);
            cfg.routes.ws(Protocol.STREAM, stream::configure);
            if (b.bridge != null) {
                new BridgeApi(b.bridge, body).register(cfg.routes);
            }
            cfg.routes.exception(
                    BodyReader.PayloadTooLarge.class,
                    (e, ctx) -> error(ctx, ErrorCode.PAYLOAD_TOO_LARGE, e.getMessage()));
            cfg.routes.exception(ShuttleException.class, (e, ctx) -> {
                if (busy.refuse(ctx, e)) {
                    return; // no database connection within the pool's timeout: 503, come back shortly
                }
                if (e.code().httpStatus() >= 500) {
                    log.error("{} {} failed", ctx.method(), ctx.path(), e);
                }
                if (e.code() == ErrorCode.UNAUTHORIZED) {
                    // RFC 6750 §3: what a client that knows only HTTP learns from a refusal
                    ctx.header("WWW-Authenticate", "Bearer realm=\"shuttle\", error=\"invalid_token\"");
                }
                error(ctx, e.code(), ErrorAnswers.message(e));
            });
            cfg.routes.exception(
                    HttpResponseException.class,
                    (e, ctx) -> error(ctx, e.getStatus(), ErrorCode.forHttpStatus(e.getStatus()), e.getMessage()));
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                if (busy.refuse(ctx, e)) {
                    return;
                }
                log.error("{} {} failed", ctx.method(), ctx.path(), e);
                error(ctx, ErrorCode.INTERNAL, ErrorAnswers.unexpected());
            });
            cfg.routes.error(404, ctx -> {
                if (ctx.result() == null || !ctx.result().startsWith("{\"error\"")) {
                    error(
                            ctx,
                            ErrorCode.NOT_FOUND,
                            "no endpoint " + ctx.method() + " " + ctx.path() + " (protocol v1: see DESIGN §6)");
                }
            });
        });
        // the position is known before the first device connects: a stream opened before the first
        // feed check would otherwise hear position 0, then the same position again as news
        stream.advanced(b.engine.feedPosition());
        if (listen) {
            app.start(b.host, b.port);
        }
        this.watcher = new FeedWatcher(b.engine, b.watchEvery, stream::advanced);
        this.purger = b.purgeEvery.isZero()
                ? null
                : new TombstonePurger(b.engine, b.purgeEvery, b.retireAfter, b.keepHistory);
        this.listener = Dialects.of(b.engine.database())
                .feedChannel()
                .map(channel -> new FeedListener(b.engine, channel, stream::advanced))
                .orElse(null);
        if (listen) {
            log.info("hub {} listening on {}", b.engine.nodeUuid(), url());
        } else {
            log.info("hub {} mounted in the application's server", b.engine.nodeUuid());
        }
    }

    public static Builder builder(SyncEngine engine) {
        return new Builder(engine);
    }

    /** The port it listens on (the one chosen when built with port 0). */
    public int port() {
        if (!listening) {
            throw new IllegalStateException(
                    "a mounted hub listens on no port of its own: its application's server does");
        }
        return app.port();
    }

    /**
     * The servlet that answers the hub's HTTP endpoints ({@code /v1/...}, {@code /health}, {@code
     * /health/ready}, {@code /metrics}) with the same handlers, authentication and error answers as
     * the hub's own server, for a hub built with {@link Builder#mount()}: register it in the
     * application's servlet container at those paths, with the container's context path empty. The
     * stream ({@code /v1/sync/stream}, a WebSocket) is served by {@link #serveStream}.
     */
    public jakarta.servlet.Servlet servlet() {
        return new io.javalin.http.servlet.JavalinServlet(app.unsafe);
    }

    /**
     * Serves the stream ({@code /v1/sync/stream}) of a hub built with {@link Builder#mount()} through the
     * Jakarta WebSocket container of the server it is mounted in (the {@code ServerContainer} its
     * servlet context holds): the same notifications, token checks and expiries as on the hub's own
     * server, except that a refused token closes the stream at once (1008) rather than refusing the
     * upgrade with 401. Call it before the container's first upgrade.
     */
    public synchronized void serveStream(jakarta.websocket.server.ServerContainer container)
            throws jakarta.websocket.DeploymentException {
        if (jakartaStream != null) {
            throw new IllegalStateException("the stream is served through a container already");
        }
        io.shuttlebridge.server.internal.JakartaStream s =
                new io.shuttlebridge.server.internal.JakartaStream(stream, auth);
        container.addEndpoint(s.config());
        jakartaStream = s;
    }

    /** The base URL devices use, e.g. {@code http://127.0.0.1:7070} ({@code https://} with {@link Builder#tls}). */
    public URI url() {
        String h = "0.0.0.0".equals(host) ? "127.0.0.1" : host;
        return URI.create((tls ? "https://" : "http://") + h + ":" + port());
    }

    /** Devices connected to the stream right now. */
    public int openStreams() {
        return stream.size();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!gate.closeAndAwait(shutdownTimeout)) {
            log.warn(
                    "stopping with {} pushes still running after {}; their transactions roll back and devices retry them",
                    gate.inFlight(),
                    shutdownTimeout);
        }
        watcher.close();
        if (purger != null) {
            purger.close();
        }
        if (listener != null) {
            listener.close();
        }
        stream.closeAll();
        if (jakartaStream != null) {
            jakartaStream.close();
        }
        if (listening) {
            app.stop();
        }
        try {
            engine.writePullAcks(); // what the last pulls acknowledged
        } catch (RuntimeException e) {
            log.warn("writing the last pulls' acknowledgements: {}", e.getMessage());
        }
    }

    private static String route(String path) {
        return switch (path) {
            case Protocol.HEALTH,
                    Protocol.METRICS,
                    Protocol.LEASE,
                    Protocol.SCHEMA,
                    Protocol.PUSH,
                    Protocol.PULL,
                    Protocol.SNAPSHOT,
                    Protocol.STREAM -> path;
            default -> "other";
        };
    }

    private static void error(Context ctx, ErrorCode code, String message) {
        error(ctx, code.httpStatus(), code, message);
    }

    /** The protocol's error answer; the status is the code's own unless the framework chose another (405, say). */
    private static void error(Context ctx, int status, ErrorCode code, String message) {
        if (!BodyReader.dropUnread(ctx.req(), UNREAD_BODY_DROPPED)) {
            ctx.header("Connection", "close"); // a large body refused unread (a 401, a 429): not read for nothing
        }
        ctx.status(status).contentType(Protocol.JSON).result(ErrorCodec.write(code.name(), message));
    }

    /** Validated settings; {@link #start} binds the port. */
    public static final class Builder {
        private final SyncEngine engine;
        private String host = "0.0.0.0";
        private int port = 7070;
        private Authenticator authenticator = Authenticator.open();
        private long maxBodyBytes = HubLimits.DEFAULT_MAX_BODY_BYTES;
        private int maxBatch = SyncEngine.DEFAULT_MAX_BATCH;
        private Duration leaseTtl = Duration.ofDays(7);
        private Duration watchEvery = Duration.ofMillis(200);
        private Duration purgeEvery = Duration.ofHours(1);
        private Duration retireAfter;
        private Duration keepHistory = Duration.ofDays(30);
        private Duration shutdownTimeout = Duration.ofSeconds(30);
        private MillisClock clock;
        private BridgeService bridge;
        private SyncRules rules;
        private MeterRegistry meterRegistry;
        private int ratePerSecond;
        private int rateBurst;
        private TlsIdentity tls;

        private Builder(SyncEngine engine) {
            this.engine = Objects.requireNonNull(engine, "engine");
        }

        /**
         * The registry the hub's meters go to and, when it is a {@link PrometheusMeterRegistry}, the one
         * /metrics scrapes; share it with other parts of the process (Bridge, an application's own
         * registry) to expose their meters together.
         */
        public Builder meterRegistry(MeterRegistry registry) {
            meterRegistry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * Sync rules (DESIGN §9), checked against the hub's database when it starts (a mistake stops
         * it, naming the line). A pushed change outside the subject's {@code write} rule, or carrying
         * a hidden column, is not stored and comes back as a rejected write; the schema, snapshots
         * and pulls show a device only the tables, columns and rows its subject may read when they
         * are sent. Not yet: rows that enter a device's set without changing (move-in) are not sent,
         * rows that leave it (move-out) are not removed, and the stream wakes devices for every change.
         */
        public Builder rules(SyncRules r) {
            rules = Objects.requireNonNull(r, "rules");
            return this;
        }

        /** Exposes a Bridge pipeline under {@code /v1/bridge/} (same authentication as the rest). */
        public Builder bridge(BridgeService service) {
            bridge = Objects.requireNonNull(service, "bridge");
            return this;
        }

        /**
         * Serves HTTPS, and WSS for the stream, on the port instead of plain HTTP: {@code certPem} holds the hub's
         * certificate then its CA chain, {@code keyPem} the certificate's private key (PKCS#8, PKCS#1 or SEC1,
         * unencrypted). The files are read and checked now: one missing, not PEM, or a key that does not match the
         * certificate is an {@link ErrorCode#INVALID_ARGUMENT} naming the file.
         */
        public Builder tls(Path certPem, Path keyPem) {
            tls = TlsIdentity.load(
                    Objects.requireNonNull(certPem, "certPem"), Objects.requireNonNull(keyPem, "keyPem"));
            return this;
        }

        public Builder host(String h) {
            host = Objects.requireNonNull(h, "host");
            return this;
        }

        /** The port to listen on; 0 picks a free one (see {@link HubServer#port}). */
        public Builder port(int p) {
            if (p < 0 || p > 65535) {
                throw new ShuttleException(ErrorCode.INVALID_ARGUMENT, "port must be between 0 and 65535, got " + p);
            }
            port = p;
            return this;
        }

        /**
         * One shared bearer token every call but {@code /health} must carry (a single trusted team,
         * DESIGN §8); null leaves the hub open (local use only). Shorthand for {@link
         * #authenticator}{@code (Authenticator.sharedToken(t))}.
         */
        public Builder token(String t) {
            authenticator = t == null ? Authenticator.open() : Authenticator.sharedToken(t);
            return this;
        }

        /**
         * Who may call the hub and as which subject: {@link Authenticator#open()}, {@link
         * Authenticator#sharedToken}, or JWTs with {@link JwtAuthenticator}.
         */
        public Builder authenticator(Authenticator a) {
            authenticator = Objects.requireNonNull(a, "authenticator");
            return this;
        }

        /** Requests with a larger body are answered 413. */
        public Builder maxBodyBytes(long n) {
            if (n < 1024) {
                throw new ShuttleException(
                        ErrorCode.INVALID_ARGUMENT, "max body size must be at least 1024 bytes, got " + n);
            }
            maxBodyBytes = n;
            return this;
        }

        /**
         * Limits how many requests each caller makes: a token bucket of {@code burst} requests refilled
         * at {@code requestsPerSecond}, per subject when callers carry JWTs, per remote address on an
         * open hub or one with a shared token. A caller over its limit is answered 429 {@code
         * RATE_LIMITED} with {@code Retry-After} (seconds) and the request changes nothing; {@code
         * /health} is never limited, and a request refused by authentication is not counted. Off by
         * default. Time is read from {@link #clock} when one is set.
         */
        public Builder rateLimit(int requestsPerSecond, int burst) {
            if (requestsPerSecond <= 0) {
                throw new ShuttleException(
                        ErrorCode.INVALID_ARGUMENT,
                        "the rate limit must be at least 1 request a second, got " + requestsPerSecond);
            }
            if (burst <= 0) {
                throw new ShuttleException(
                        ErrorCode.INVALID_ARGUMENT, "the burst must be at least 1 request, got " + burst);
            }
            ratePerSecond = requestsPerSecond;
            rateBurst = burst;
            return this;
        }

        /** Pushes with more changes, and pulls asking for more, are answered 400. */
        public Builder maxBatch(int n) {
            if (n <= 0) {
                throw new ShuttleException(ErrorCode.INVALID_ARGUMENT, "max batch must be positive, got " + n);
            }
            maxBatch = n;
            return this;
        }

        public Builder leaseTtl(Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new ShuttleException(ErrorCode.INVALID_ARGUMENT, "lease time must be positive, got " + d);
            }
            leaseTtl = d;
            return this;
        }

        /**
         * How often the hub purges the tombstones every known device has acknowledged (default hourly;
         * zero for never, when the application calls {@link SyncEngine#purgeTombstones} itself).
         */
        /**
         * Retires, at each purge, the devices not heard from for {@code d} (their last pull): they no longer
         * hold back the purge of tombstones, their short ids are freed, and they must clone again (keeping
         * their unpushed writes through a bundle). Null (the default) never retires a device by itself.
         */
        public Builder retireAfter(Duration d) {
            if (d != null && (d.isNegative() || d.isZero())) {
                throw new ShuttleException(ErrorCode.INVALID_ARGUMENT, "retire-after must be positive, got " + d);
            }
            retireAfter = d;
            return this;
        }

        /**
         * How long records of what is over are kept (resolved conflicts, imported bundles' ids, re-stamps,
         * finished Bridge batches); pruned at each purge; null keeps them for ever. Default 30 days.
         */
        public Builder keepHistory(Duration d) {
            keepHistory = d;
            return this;
        }

        public Builder purgeEvery(Duration d) {
            if (d.isNegative()) {
                throw new ShuttleException(
                        ErrorCode.INVALID_ARGUMENT, "the purge interval must not be negative, got " + d);
            }
            purgeEvery = d;
            return this;
        }

        /** How often the hub looks for writes made directly on its database, to notify streams. */
        public Builder watchEvery(Duration d) {
            watchEvery = Objects.requireNonNull(d, "interval");
            return this;
        }

        /**
         * How long a stream whose device sends heartbeats may stay silent before the hub drops it (a
         * device that lost its network without closing the connection); default 50 s.
         */
        public Builder streamSilence(Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("stream silence must be positive, got " + d);
            }
            streamSilence = d;
            return this;
        }

        private Duration streamSilence = Duration.ofSeconds(StreamHub.SILENT_SECONDS);

        private ShuttleDatabase readDatabase;

        /**
         * A hot standby (a streaming replica) of the hub's PostgreSQL database, to serve pulls and
         * snapshots from while pushes go to the primary. A pull waits up to a second for the standby to
         * replay what devices may have been told of, else the primary serves it: a device never misses or
         * skips a change because the standby lags. Opened by the caller (a pool: {@link HubDatabases}),
         * not closed by the hub.
         */
        public Builder readDatabase(ShuttleDatabase replica) {
            Objects.requireNonNull(replica, "replica");
            if (!replica.product().equals("postgresql")) {
                throw new ShuttleException(
                        ErrorCode.INVALID_ARGUMENT,
                        "a read database is a PostgreSQL hot standby; " + replica.displayUrl() + " is on "
                                + replica.product() + ", which is not supported as one: serve pulls from the hub's"
                                + " own database (several hub processes may share it)");
            }
            readDatabase = replica;
            return this;
        }

        public Builder shutdownTimeout(Duration d) {
            shutdownTimeout = Objects.requireNonNull(d, "timeout");
            return this;
        }

        /**
         * The clock leases are given and expire by; by default the engine's own ({@link
         * SyncEngine#clock()}), which everything else the hub decides by reads too. Rate limits
         * ({@link #rateLimit}) refill by it when it is set, else by the system clock.
         */
        public Builder clock(MillisClock c) {
            clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        /** {@link #clock(MillisClock)} from a {@link Clock}. */
        public Builder clock(Clock c) {
            return clock(Objects.requireNonNull(c, "clock")::millis);
        }

        public HubServer start() {
            return new HubServer(this, true);
        }

        /**
         * The hub without a server of its own, to be served by another one (a Spring Boot
         * application's, say) through {@link HubServer#servlet()}: the host, port and TLS settings
         * are not used. {@link HubServer#close} is as graceful as for a started hub.
         */
        public HubServer mount() {
            return new HubServer(this, false);
        }
    }
}
