package io.shuttlebridge.server.rules;

import io.shuttlebridge.core.Postgres;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.server.HubServer;
import io.shuttlebridge.server.auth.JwtAuthenticator;
import io.shuttlebridge.server.auth.TokenIssuer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** The hub database of DESIGN §9's example (projects, members, tasks, a catalog) on SQLite or PostgreSQL, empty. */
final class RulesHub {
    static final byte[] SECRET =
            "an HS256 secret of more than thirty-two bytes".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private RulesHub() {}

    /** A hub on loopback over {@code engine} that takes HS256 tokens signed with {@link #SECRET} and enforces {@code rules}. */
    static HubServer serve(SyncEngine engine, String rules) {
        return HubServer.builder(engine)
                .host("127.0.0.1")
                .port(0)
                .authenticator(JwtAuthenticator.hs256(SECRET).build())
                .rules(SyncRules.parse(rules, "rules.yaml"))
                .start();
    }

    /** A token of {@code sub} for those hubs, valid for an hour. */
    static String token(String sub) {
        return TokenIssuer.hs256(SECRET).issue(sub, Map.of(), Duration.ofHours(1), null, null);
    }

    /** {@code kind} is {@code sqlite} or {@code postgresql}; capture is not enabled yet, so rows can be added first. */
    static ShuttleDatabase create(String kind, Path dir) throws Exception {
        ShuttleDatabase db = kind.equals("sqlite")
                ? ShuttleDatabase.sqlite(dir.resolve("hub.db"))
                : ShuttleDatabase.open(Postgres.freshDatabase());
        createTables(db);
        return db;
    }

    /** The example's tables, empty, in {@code db}. */
    static void createTables(ShuttleDatabase db) {
        db.execute("CREATE TABLE project (id BIGINT PRIMARY KEY, name TEXT NOT NULL)");
        db.execute("CREATE TABLE project_member (project_id BIGINT NOT NULL REFERENCES project(id),"
                + " user_id TEXT NOT NULL, role TEXT NOT NULL, PRIMARY KEY (project_id, user_id))");
        db.execute("CREATE TABLE task (id BIGINT PRIMARY KEY, project_id BIGINT NOT NULL REFERENCES project(id),"
                + " title TEXT, internal_cost NUMERIC(10,2))");
        db.execute("CREATE TABLE catalog (sku TEXT PRIMARY KEY, price NUMERIC(10,2))");
    }
}
