package io.shuttlebridge.server;

import io.shuttlebridge.client.Backoff;
import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.core.Postgres;
import io.shuttlebridge.core.simulate.SimHub;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.core.sync.Transport;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A simulated hub on PostgreSQL served over HTTP: a fresh schema in {@code databaseUrl}, a
 * {@link HubServer} on loopback over the hub's engine, and devices reaching it through the real
 * {@link HttpTransport}. The client does not retry, so every failure (an injected crash in the
 * hub's apply, answered with a 500) reaches the simulation as it happened.
 */
final class PostgresHttpHub implements SimHub {
    private final String databaseUrl;
    private String url;
    private HubServer server;

    PostgresHttpHub(String databaseUrl) {
        this.databaseUrl = databaseUrl;
    }

    @Override
    public String database(Path dir) {
        url = Postgres.freshSchema(databaseUrl);
        return url;
    }

    @Override
    public Transport connect(SyncEngine hub) {
        server = HubServer.builder(hub)
                .host("127.0.0.1")
                .port(0)
                .token(Fixtures.TOKEN)
                .shutdownTimeout(Duration.ofSeconds(5))
                .start();
        return HttpTransport.builder(server.url())
                .token(Fixtures.TOKEN)
                .requestTimeout(Duration.ofSeconds(60))
                .backoff(Backoff.NONE)
                .build();
    }

    @Override
    public void close() {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            if (url != null) {
                Postgres.dropSchema(url);
            }
        }
    }

    @Override
    public String toString() {
        return "PostgreSQL hub over HTTP" + (server == null ? "" : " at " + server.url());
    }
}
