package io.shuttlebridge.server;

import io.shuttlebridge.client.Backoff;
import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.capture.CaptureOptions;
import io.shuttlebridge.core.sync.SyncEngine;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Test helpers: a SQLite hub database with two related tables, plain-SQL access, row dumps. */
final class Fixtures {
    static final String TOKEN = "test-token";

    private Fixtures() {}

    static ShuttleDatabase hubDatabase(Path dir) throws SQLException {
        Path file = dir.resolve("hub.db");
        sql(
                file,
                "CREATE TABLE customer (id INTEGER PRIMARY KEY, name TEXT NOT NULL, balance NUMERIC(12,2), note BLOB)",
                "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customer(id), total REAL, big BIGINT)",
                "INSERT INTO customer VALUES (1, 'Ada', 10.50, x'00ff'), (2, 'Grace', 0, NULL)",
                "INSERT INTO orders VALUES (1, 1, 9.99, 9007199254740993)");
        ShuttleDatabase db = ShuttleDatabase.sqlite(file);
        Capture.enable(db, CaptureOptions.allTables(), ProgressListener.NONE);
        return db;
    }

    /** A SQLite hub database with one table, {@code note (id, body)}, holding the given rows, sync enabled. */
    static ShuttleDatabase noteHub(Path dir, String... values) {
        return noteHub("sqlite", dir, values);
    }

    /** A hub database with a captured {@code note} table: a SQLite file in {@code dir}, or a fresh MariaDB database. */
    static ShuttleDatabase noteHub(String kind, Path dir, String... values) {
        ShuttleDatabase db = switch (kind) {
            case "sqlite" -> ShuttleDatabase.sqlite(dir.resolve("hub.db"));
            case "mariadb" -> ShuttleDatabase.open(io.shuttlebridge.core.MariaDb.freshDatabase());
            default -> throw new IllegalArgumentException("no note hub on " + kind);
        };
        db.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)");
        for (String v : values) {
            db.execute("INSERT INTO note VALUES " + v);
        }
        Capture.enable(db);
        return db;
    }

    /** The rows of {@code note} as {@code id|body}, by id. */
    static List<String> notes(ShuttleDatabase db) {
        return db.read(c -> {
            List<String> out = new ArrayList<>();
            try (var rs = c.createStatement().executeQuery("SELECT id, body FROM note ORDER BY id")) {
                while (rs.next()) {
                    out.add(rs.getLong(1) + "|" + rs.getString(2));
                }
            }
            return out;
        });
    }

    static HubServer start(SyncEngine engine) {
        return HubServer.builder(engine)
                .host("127.0.0.1")
                .port(0)
                .token(TOKEN)
                .maxBodyBytes(64 * 1024)
                .maxBatch(100)
                .watchEvery(Duration.ofMillis(50))
                .start();
    }

    static HttpTransport transport(HubServer hub) {
        return HttpTransport.builder(hub.url())
                .token(TOKEN)
                .backoff(new Backoff(Duration.ofMillis(20), Duration.ofMillis(200), 4))
                .build();
    }

    static void sql(Path file, String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    /** Every row of a table, ordered by key, as text. */
    static List<String> rows(Path file, String table) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT * FROM \"" + table + "\" ORDER BY 1")) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    Object v = rs.getObject(i);
                    b.append(i > 1 ? "|" : "")
                            .append(
                                    v instanceof byte[] bytes
                                            ? HexFormat.of().formatHex(bytes)
                                            : v + ":"
                                                    + (v == null
                                                            ? "null"
                                                            : v.getClass().getSimpleName()));
                }
                out.add(b.toString());
            }
        }
        return out;
    }
}
