package io.shuttlebridge.cli;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shuttlebridge.bridge.BridgeService;
import io.shuttlebridge.bridge.definition.PipelineDefinition;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.sync.EngineAccess;
import io.shuttlebridge.core.protocol.HubLimits;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.server.HubDatabases;
import io.shuttlebridge.server.HubServer;
import io.shuttlebridge.server.auth.Authenticator;
import io.shuttlebridge.server.rules.SyncRules;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code shuttle serve}: run a hub over a sync-enabled database until stopped. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Run a hub over DB (protocol v1 over HTTP and WebSocket) until stopped with Ctrl-C or SIGTERM.",
            "Stopping is graceful: pushes in flight finish first."
        })
public final class ServeCommand implements Callable<Integer> {
    @Mixin
    DbOption db;

    @Option(
            names = "--port",
            paramLabel = "N",
            defaultValue = "7070",
            description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--host",
            paramLabel = "HOST",
            defaultValue = "0.0.0.0",
            description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String host;

    @Mixin
    AuthOptions auth;

    @Option(
            names = "--max-body",
            paramLabel = "BYTES",
            defaultValue = "" + HubLimits.DEFAULT_MAX_BODY_BYTES,
            description = "Largest request body (default: ${DEFAULT-VALUE}).")
    long maxBody;

    @Option(
            names = "--max-batch",
            paramLabel = "N",
            defaultValue = "" + SyncEngine.DEFAULT_MAX_BATCH,
            description = "Most changes in one push or page (default: ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(
            names = "--max-clock-skew",
            paramLabel = "DURATION",
            defaultValue = "5m",
            converter = DurationConverter.class,
            description = "How far ahead of the hub's clock a pushed change may be stamped; one stamped further ahead"
                    + " is re-stamped to the hub's clock and its device told (30s, 5m, 2h, 1d or PT5M;"
                    + " default: ${DEFAULT-VALUE}).")
    Duration maxClockSkew;

    @Option(
            names = "--rate-limit",
            paramLabel = "N/s",
            converter = RateConverter.class,
            description = "Requests a second each caller may make: each subject with JWTs, each address with --token or"
                    + " none; more are answered 429 RATE_LIMITED with Retry-After (default: no limit).")
    Integer rateLimit;

    @Option(
            names = "--rate-burst",
            paramLabel = "M",
            description =
                    "Requests a caller may make at once before --rate-limit holds it back (default: twice the rate).")
    Integer rateBurst;

    @Option(
            names = "--bridge",
            paramLabel = "FILE",
            description =
                    "A Bridge pipeline definition (YAML) to expose under /v1/bridge/" + " and run on its schedules.")
    Path bridgeFile;

    @Option(
            names = "--pool",
            paramLabel = "N",
            defaultValue = "" + HubDatabases.DEFAULT_POOL,
            description = "Connections to a PostgreSQL hub database, serving requests in parallel (default:"
                    + " ${DEFAULT-VALUE}; a SQLite hub has one).")
    int pool;

    @Option(
            names = "--pool-timeout",
            paramLabel = "DURATION",
            defaultValue = "5s",
            converter = DurationConverter.class,
            description = "How long a request waits for one of the pool's connections before it is answered 503"
                    + " with Retry-After (devices retry it), at least 250ms (default: ${DEFAULT-VALUE}).")
    Duration poolTimeout;

    @Option(
            names = "--read-db",
            paramLabel = "URL",
            description = "A hot standby of a PostgreSQL hub database (jdbc:postgresql://...) to serve pulls and"
                    + " snapshots from; pushes go to --db. A pull waits up to 1 s for the standby to replay what"
                    + " devices were told of, else --db serves it.")
    String readDb;

    @Option(
            names = "--rules",
            paramLabel = "FILE",
            description = "Sync rules (YAML, DESIGN §9): what each subject's devices may read and write; checked"
                    + " against the hub's database at start. Needs --jwt-secret-file or --jwks.")
    Path rulesFile;

    @ArgGroup(exclusive = false)
    Tls tls;

    /** {@code --tls-cert} and {@code --tls-key}: both or neither. */
    static final class Tls {
        @Option(
                names = "--tls-cert",
                required = true,
                paramLabel = "PEM",
                description = "Serve HTTPS and WSS: the hub's certificate, then its CA chain (PEM; with --tls-key).")
        Path cert;

        @Option(
                names = "--tls-key",
                required = true,
                paramLabel = "PEM",
                description = "The private key of --tls-cert (PEM: PKCS#8, PKCS#1 or SEC1, unencrypted).")
        Path key;
    }

    @Option(
            names = "--purge-every",
            paramLabel = "DURATION",
            defaultValue = "1h",
            converter = DurationConverter.class,
            description = "How often to purge the tombstones every device has acknowledged: 30m, 1h, 1d; 0 for never"
                    + " (default: ${DEFAULT-VALUE}).")
    Duration purgeEvery;

    @Option(
            names = "--retire-after",
            paramLabel = "DURATION",
            defaultValue = "90d",
            converter = DurationConverter.class,
            description = "Retire devices not heard from for this long (at each purge): they stop holding back"
                    + " the purge and must clone again, carrying unpushed writes over with a bundle; 0 for never"
                    + " (default: ${DEFAULT-VALUE}).")
    Duration retireAfter;

    @Option(
            names = "--keep-history",
            paramLabel = "DURATION",
            defaultValue = "30d",
            converter = DurationConverter.class,
            description = "How long records of what is over are kept (resolved conflicts, imported bundles,"
                    + " re-stamps, finished Bridge batches and settled dead letters); 0 for ever"
                    + " (default: ${DEFAULT-VALUE}).")
    Duration keepHistory;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Authenticator authenticator = auth.authenticator();
        int burst = rateBurst();
        if (poolTimeout.compareTo(HubDatabases.MIN_POOL_TIMEOUT) < 0) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT,
                    "--pool-timeout must be at least " + HubDatabases.MIN_POOL_TIMEOUT.toMillis() + "ms, got "
                            + poolTimeout.toMillis() + "ms");
        }
        SyncRules rules = null;
        if (rulesFile != null) {
            if (!auth.jwt()) {
                throw new ShuttleException(
                        ErrorCode.INVALID_ARGUMENT,
                        "--rules decide per subject what a device may read and write: tell subjects apart with"
                                + " --jwt-secret-file or --jwks");
            }
            rules = SyncRules.load(rulesFile);
        }
        ReadDbCheck.check(db.db, readDb);
        db.openExisting().close(); // refuses a SQLite path that does not exist
        try (ShuttleDatabase database = HubDatabases.open(db.db, pool, poolTimeout);
                ShuttleDatabase replica = readDb == null ? null : HubDatabases.open(readDb, pool, poolTimeout)) {
            SyncEngine engine = SyncEngine.builder(database)
                    .maxBatch(Math.max(maxBatch, SyncEngine.DEFAULT_PAGE))
                    .maxClockSkew(maxClockSkew)
                    .build();
            String limits = "";
            HubServer.Builder builder = HubServer.builder(engine)
                    .host(host)
                    .port(port)
                    .authenticator(authenticator)
                    .maxBodyBytes(maxBody)
                    .maxBatch(maxBatch)
                    .purgeEvery(purgeEvery)
                    .retireAfter(retireAfter.isZero() ? null : retireAfter)
                    .keepHistory(keepHistory.isZero() ? null : keepHistory);
            if (tls != null) {
                builder.tls(tls.cert, tls.key);
            }
            if (replica != null) {
                builder.readDatabase(replica);
                limits += "; pulls and snapshots from " + replica.displayUrl();
            }
            if (rules != null) {
                builder.rules(rules);
                limits += "; sync rules " + rulesFile;
            }
            if (burst > 0) {
                builder.rateLimit(rateLimit, burst);
                limits += "; rate limit " + rateLimit + "/s per caller, bursts of " + burst;
            }
            BridgeService bridge = null;
            ScheduledExecutorService ticks = null;
            if (bridgeFile != null) {
                var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
                builder.meterRegistry(registry);
                bridge = BridgeService.builder()
                        .target(db.db)
                        .meterRegistry(registry)
                        .definition(PipelineDefinition.load(bridgeFile))
                        .build();
                builder.bridge(bridge);
                ticks = Executors.newSingleThreadScheduledExecutor(
                        Thread.ofVirtual().factory());
                BridgeService scheduled = bridge;
                ticks.scheduleWithFixedDelay(
                        () -> {
                            try {
                                scheduled.scheduler().tick();
                            } catch (RuntimeException e) {
                                LoggerFactory.getLogger(ServeCommand.class).error("bridge schedule tick failed", e);
                            }
                        },
                        30,
                        30,
                        TimeUnit.SECONDS);
            }
            HubServer hub = builder.start();
            CountDownLatch stopped = new CountDownLatch(1);
            BridgeService bridgeToClose = bridge;
            ScheduledExecutorService ticksToStop = ticks;
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                if (ticksToStop != null) {
                                    ticksToStop.shutdownNow();
                                }
                                hub.close();
                                if (bridgeToClose != null) {
                                    bridgeToClose.close();
                                }
                                stopped.countDown();
                            },
                            "shuttle-serve-shutdown"));
            out.printf(
                    "Hub %s listening on %s (tables: %s)%s%s%n",
                    engine.nodeUuid(),
                    hub.url(),
                    EngineAccess.context(engine).schema().tables().stream()
                            .map(SyncedTable::name)
                            .collect(Collectors.joining(", ")),
                    authenticator.required()
                            ? "; callers: " + auth.describe()
                            : "; no token set: anyone who can reach the port can sync",
                    limits);
            out.flush();
            stopped.await();
            return 0;
        }
    }

    /** The burst the options ask for, 0 without a rate limit; checked before the database is opened. */
    private int rateBurst() {
        if (rateLimit == null) {
            if (rateBurst != null) {
                throw new ShuttleException(ErrorCode.INVALID_ARGUMENT, "--rate-burst needs --rate-limit");
            }
            return 0;
        }
        if (rateBurst != null && rateBurst < 1) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT, "--rate-burst must be at least 1 request, got " + rateBurst);
        }
        return rateBurst != null ? rateBurst : (int) Math.min(Integer.MAX_VALUE, 2L * rateLimit);
    }
}
