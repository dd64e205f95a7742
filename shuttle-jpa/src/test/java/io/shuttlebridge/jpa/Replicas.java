package io.shuttlebridge.jpa;

import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.client.NodeLeases;
import io.shuttlebridge.core.Postgres;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.protocol.Lease;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.core.sync.SyncReport;
import io.shuttlebridge.server.HubServer;
import jakarta.persistence.EntityManagerFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A PostgreSQL hub whose schema Hibernate created, served over HTTP on loopback, and SQLite devices
 * whose schema Hibernate created too, each with sync enabled by {@link SyncEntities#captureOptions}
 * and a short id leased from the hub: what an application with {@link SyncEntity} entities runs.
 */
final class Replicas implements AutoCloseable {
    static final String TOKEN = "jpa-test-token";

    final String hubUrl;
    final EntityManagerFactory hubJpa;
    final ShuttleDatabase hubDb;
    final HubServer server;
    private final Path dir;
    private final boolean cache;
    private final List<Device> devices = new ArrayList<>();

    /** One device: its database, its Hibernate, its engine and its lease. */
    record Device(
            Path file, ShuttleDatabase db, EntityManagerFactory jpa, SyncEngine engine, HttpTransport hub, Lease lease)
            implements AutoCloseable {
        SyncReport sync() {
            return engine.pullThenPush(hub);
        }

        @Override
        public void close() {
            jpa.close();
            db.close();
        }
    }

    Replicas(Path dir, boolean cache) {
        this.dir = dir;
        this.cache = cache;
        hubUrl = Postgres.freshDatabase();
        hubJpa = Jpa.postgres(hubUrl).start();
        hubDb = ShuttleDatabase.open(hubUrl);
        Capture.enable(hubDb, SyncEntities.captureOptions(hubJpa));
        server = HubServer.builder(SyncEngine.open(hubDb))
                .host("127.0.0.1")
                .port(0)
                .token(TOKEN)
                .start();
    }

    /** A new device: a SQLite file, its schema made by Hibernate, sync enabled, a short id leased. */
    Device device(String name) {
        Path file = dir.resolve(name + ".db");
        EntityManagerFactory jpa = Jpa.sqlite(file).secondLevelCache(cache).start();
        ShuttleDatabase db = ShuttleDatabase.sqlite(file);
        Capture.enable(db, SyncEntities.captureOptions(jpa));
        HttpTransport http = HttpTransport.builder(server.url()).token(TOKEN).build();
        Lease lease = NodeLeases.lease(db, http);
        SyncEngine engine = SyncEngine.builder(db)
                .applyListener(SyncEntities.evictOnApply(jpa))
                .build();
        Device d = new Device(file, db, jpa, engine, http, lease);
        devices.add(d);
        return d;
    }

    @Override
    public void close() {
        devices.forEach(Device::close);
        server.close();
        hubJpa.close();
        hubDb.close();
    }
}
