package io.shuttlebridge.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.Postgres;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same DDL on a SQLite device (which keeps {@code Note} and {@code Title} as written) and a
 * PostgreSQL hub (which folds them to {@code note} and {@code title}): changes go both ways, each
 * replica naming tables and columns as it spells them.
 */
class NameCaseIT {
    @TempDir
    Path dir;

    @Test
    void tablesAndColumnsWhoseNamesDifferOnlyByCaseSync() {
        String ddl = "CREATE TABLE Note (Id BIGINT PRIMARY KEY, Title TEXT, Body TEXT)";
        try (ShuttleDatabase hub = ShuttleDatabase.open(Postgres.freshDatabase());
                ShuttleDatabase device = ShuttleDatabase.sqlite(dir.resolve("device.db"))) {
            hub.execute(ddl);
            device.execute(ddl);
            Capture.enable(hub);
            Capture.enable(device);
            SyncEngine hubEngine = SyncEngine.open(hub);
            SyncEngine deviceEngine = SyncEngine.open(device);
            Transport transport = new InProcessTransport(hubEngine);

            device.execute("INSERT INTO Note (Id, Title, Body) VALUES (1, 'from the device', 'b')");
            SyncReport pushed = deviceEngine.pullThenPush(transport);
            assertThat(pushed.pushed()).isEqualTo(1);
            assertThat(hub.<String>read(c -> {
                        try (var rs = c.createStatement().executeQuery("SELECT title, body FROM note WHERE id = 1")) {
                            return rs.next() ? rs.getString(1) + "|" + rs.getString(2) : null;
                        }
                    }))
                    .isEqualTo("from the device|b");

            hub.execute("INSERT INTO note (id, title, body) VALUES (2, 'from the hub', 'h')");
            hub.execute("UPDATE note SET title = 'edited on the hub' WHERE id = 1");
            deviceEngine.pullThenPush(transport);
            assertThat(device.<String>read(c -> {
                        try (var rs = c.createStatement()
                                .executeQuery(
                                        "SELECT group_concat(Id || '|' || Title, ',') FROM (SELECT * FROM Note ORDER BY Id)")) {
                            rs.next();
                            return rs.getString(1);
                        }
                    }))
                    .isEqualTo("1|edited on the hub,2|from the hub");
        }
    }
}
