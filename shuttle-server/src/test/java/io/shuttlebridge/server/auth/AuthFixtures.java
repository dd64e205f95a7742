package io.shuttlebridge.server.auth;

import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.server.HubServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** A SQLite hub database made of the given tables, and a hub on loopback that authenticates as told. */
final class AuthFixtures {
    static final byte[] SECRET = "an HS256 secret of more than thirty-two bytes".getBytes(StandardCharsets.UTF_8);

    private AuthFixtures() {}

    static ShuttleDatabase database(Path dir, String... ddl) {
        ShuttleDatabase db = ShuttleDatabase.sqlite(dir.resolve("hub.db"));
        for (String statement : ddl) {
            db.execute(statement);
        }
        Capture.enable(db);
        return db;
    }

    static HubServer serve(SyncEngine engine, Authenticator auth) {
        return HubServer.builder(engine)
                .host("127.0.0.1")
                .port(0)
                .authenticator(auth)
                .start();
    }
}
