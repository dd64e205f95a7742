package io.shuttlebridge.spring;

import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.capture.CaptureOptions;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.server.HubServer;
import java.net.URI;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A real hub on loopback for the device tests: a SQLite file holding the notes table (titles longer
 * than 100 characters refused by a CHECK the devices do not have), served by {@link HubServer} with a
 * shared token.
 */
final class TestHub implements AutoCloseable {
    static final String TOKEN = "s3cret-device-token";

    final ShuttleDatabase db;
    final SyncEngine engine;
    final HubServer server;

    private TestHub(Path file) {
        db = ShuttleDatabase.sqlite(file);
        db.execute("CREATE TABLE note (id TEXT PRIMARY KEY, title TEXT NOT NULL CHECK (length(title) <= 100),"
                + " body TEXT, updated_at TEXT)");
        Capture.enable(
                db, CaptureOptions.builder().excludeColumn("note.updated_at").build());
        engine = SyncEngine.open(db);
        server = HubServer.builder(engine)
                .host("127.0.0.1")
                .port(0)
                .token(TOKEN)
                .watchEvery(Duration.ofMillis(50))
                .start();
    }

    static TestHub start(Path dir) {
        return new TestHub(dir.resolve("hub.db"));
    }

    URI url() {
        return server.url();
    }

    List<Map<String, Object>> query(String sql) {
        return query(db, sql);
    }

    static List<Map<String, Object>> query(ShuttleDatabase db, String sql) {
        return db.read(c -> {
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery(sql)) {
                ResultSetMetaData md = rs.getMetaData();
                List<Map<String, Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        row.put(md.getColumnLabel(i), rs.getObject(i));
                    }
                    rows.add(row);
                }
                return rows;
            }
        });
    }

    @Override
    public void close() {
        server.close();
        db.close();
    }
}
