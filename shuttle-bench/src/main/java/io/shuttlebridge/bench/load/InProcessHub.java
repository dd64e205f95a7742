package io.shuttlebridge.bench.load;

import io.shuttlebridge.bench.hub.BenchHub;
import io.shuttlebridge.bench.hub.BenchPostgres;
import java.net.URI;
import java.security.SecureRandom;

/** A hub in this JVM, beside the load generator, over the benchmark's PostgreSQL database. */
final class InProcessHub implements LoadHub {
    private final BenchPostgres pg;
    private final BenchHub hub;

    InProcessHub(BenchPostgres pg, int maxBatch, int pool) {
        this.pg = pg;
        byte[] secret = new byte[48];
        new SecureRandom().nextBytes(secret);
        this.hub = BenchHub.start(pg.url(), maxBatch, null, secret, pool);
    }

    @Override
    public URI url() {
        return URI.create(hub.url());
    }

    @Override
    public String token() {
        return hub.token();
    }

    @Override
    public String description() {
        return "HubServer in this JVM over " + pg.where() + ", HTTP + WebSocket on loopback";
    }

    @Override
    public String memoryAttribution() {
        return "the whole benchmark JVM: the hub and the load generator (both ends of every stream and device"
                + " connection) share its heap and RSS; --hub-process measures the hub alone";
    }

    @Override
    public MemorySample memory(boolean collect) {
        return MemorySample.self(collect);
    }

    @Override
    public int databasePort() {
        return pg.embeddedPort();
    }

    @Override
    public long cpuNanos() {
        return -1;
    }

    @Override
    public void close() {
        hub.close();
    }
}
