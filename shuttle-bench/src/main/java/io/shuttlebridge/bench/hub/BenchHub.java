package io.shuttlebridge.bench.hub;

import io.shuttlebridge.client.Backoff;
import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.capture.CaptureOptions;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.server.HubServer;
import java.time.Duration;

/** A hub on loopback over the benchmark's PostgreSQL database, as {@code shuttle serve} runs it. */
public final class BenchHub implements AutoCloseable {
    public static final String TOKEN = "bench";

    private final ShuttleDatabase db;
    private final HubServer server;

    private BenchHub(ShuttleDatabase db, HubServer server) {
        this.db = db;
        this.server = server;
    }

    /** Enables sync on every table of the database and starts serving it. */
    public static BenchHub start(BenchPostgres pg, int maxBatch) {
        ShuttleDatabase db = ShuttleDatabase.open(pg.url());
        Capture.enable(db, CaptureOptions.allTables(), ProgressListener.NONE);
        SyncEngine engine = SyncEngine.builder(db).maxBatch(maxBatch).build();
        HubServer server = HubServer.builder(engine)
                .host("127.0.0.1")
                .port(0)
                .token(TOKEN)
                .maxBatch(maxBatch)
                .maxBodyBytes(256L * 1024 * 1024)
                .watchEvery(Duration.ofMillis(200))
                .start();
        return new BenchHub(db, server);
    }

    public String url() {
        return server.url().toString();
    }

    public HttpTransport transport() {
        return HttpTransport.builder(server.url())
                .token(TOKEN)
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
