package io.shuttlebridge.bench.hub;

import io.shuttlebridge.client.Backoff;
import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.client.TokenProvider;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.capture.CaptureOptions;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.server.HubDatabases;
import io.shuttlebridge.server.HubServer;
import io.shuttlebridge.server.auth.JwtAuthenticator;
import io.shuttlebridge.server.auth.TokenIssuer;
import io.shuttlebridge.server.rules.SyncRules;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;

/**
 * A hub on loopback over the benchmark's PostgreSQL or MariaDB database, as {@code shuttle serve} runs it:
 * callers authenticate with an HS256 JWT, as a deployment with per-user identity does (DESIGN §8).
 */
public final class BenchHub implements AutoCloseable {
    /** The subject of {@link #token()}. */
    public static final String SUBJECT = "bench";

    /** How callers are authenticated, for the report. */
    public static final String AUTH = "HS256 JWT (verified once per token)";

    private final ShuttleDatabase db;
    private final SyncEngine engine;
    private final HubServer server;
    private final TokenIssuer issuer;
    private final String token;

    private BenchHub(ShuttleDatabase db, SyncEngine engine, HubServer server, TokenIssuer issuer) {
        this.db = db;
        this.engine = engine;
        this.server = server;
        this.issuer = issuer;
        this.token = token(SUBJECT);
    }

    /** Enables sync on every table of the database and starts serving it. */
    public static BenchHub start(BenchHubDb pg, int maxBatch) {
        return start(pg, maxBatch, null, 1);
    }

    /**
     * {@link #start(BenchHubDb, int)} with sync rules (null for none; the devices' subject is {@code bench}), on a
     * pool of {@code pool} connections (1: one connection).
     */
    public static BenchHub start(BenchHubDb pg, int maxBatch, SyncRules rules, int pool) {
        byte[] secret = new byte[48];
        new SecureRandom().nextBytes(secret);
        return start(pg.url(), maxBatch, rules, secret, pool);
    }

    /**
     * A hub over the database at {@code jdbcUrl} whose tokens are signed with {@code secret} (a
     * hub in a process of its own is given the secret its benchmark issues tokens with), on one connection
     * ({@code pool} 1) or a pool of {@code pool} as {@code shuttle serve --pool} opens it.
     */
    public static BenchHub start(String jdbcUrl, int maxBatch, SyncRules rules, byte[] secret, int pool) {
        ShuttleDatabase db = pool <= 1 ? ShuttleDatabase.open(jdbcUrl) : HubDatabases.open(jdbcUrl, pool);
        Capture.enable(db, CaptureOptions.allTables(), ProgressListener.NONE);
        SyncEngine engine = SyncEngine.builder(db).maxBatch(maxBatch).build();
        HubServer.Builder builder = HubServer.builder(engine)
                .host("127.0.0.1")
                .port(0)
                .authenticator(JwtAuthenticator.hs256(secret).build())
                .maxBatch(maxBatch)
                .maxBodyBytes(256L * 1024 * 1024)
                .watchEvery(Duration.ofMillis(200));
        if (rules != null) {
            builder.rules(rules);
        }
        HubServer server = builder.start();
        return new BenchHub(db, engine, server, TokenIssuer.hs256(secret));
    }

    /** A token for the benchmark's subject {@code bench}, valid for a day, signed with {@code secret}. */
    public static String token(byte[] secret) {
        return TokenIssuer.hs256(secret).issue(SUBJECT, Map.of(), Duration.ofDays(1), null, null);
    }

    public String url() {
        return server.url().toString();
    }

    /** The token devices of the benchmark send, of subject {@value #SUBJECT}. */
    public String token() {
        return token;
    }

    /** A token of {@code subject}, valid for a day. */
    public String token(String subject) {
        return issuer.issue(subject, Map.of(), Duration.ofDays(1), null, null);
    }

    /** The hub's feed position, writes made on its database since the last read included. */
    public long feedPosition() {
        return engine.feedPosition();
    }

    public HttpTransport transport() {
        return transport(TokenProvider.of(token));
    }

    /** A transport that sends the token {@code tokens} gives at each request. */
    public HttpTransport transport(TokenProvider tokens) {
        return HttpTransport.builder(server.url())
                .tokenProvider(tokens)
                .requestTimeout(Duration.ofMinutes(2))
                .backoff(new Backoff(Duration.ofMillis(50), Duration.ofSeconds(1), 3))
                .build();
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            db.close();
        }
    }
}
