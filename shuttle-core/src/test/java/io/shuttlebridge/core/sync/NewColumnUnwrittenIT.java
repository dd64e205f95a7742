package io.shuttlebridge.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.MariaDb;
import io.shuttlebridge.core.Postgres;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.capture.CaptureOptions;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link NewColumnUnwrittenTest} with the hub on PostgreSQL and MariaDB: a row the hub's application wrote
 * before the hub gained a column, served afterwards, does not blank a device's older write of that column
 * (FIELD_LWW): the hub stamps the column in its rows as written by no one when it takes the column.
 */
class NewColumnUnwrittenIT {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "hub on {0}")
    @ValueSource(strings = {"postgresql", "mariadb"})
    void aRowTheHubWroteBeforeItHadTheColumnDoesNotBlankADevicesWriteOfIt(String kind) throws Exception {
        String url = kind.equals("mariadb") ? MariaDb.freshDatabase() : Postgres.freshDatabase();
        try (ShuttleDatabase hubDb = ShuttleDatabase.open(url);
                ShuttleDatabase deviceDb = ShuttleDatabase.sqlite(dir.resolve("device.db"))) {
            hubDb.execute("CREATE TABLE customer (id BIGINT PRIMARY KEY, name VARCHAR(40))");
            deviceDb.execute("CREATE TABLE customer (id INTEGER PRIMARY KEY, name TEXT)");
            CaptureOptions fieldLww =
                    CaptureOptions.builder().policy(ConflictPolicy.FIELD_LWW).build();
            Capture.enable(hubDb, fieldLww, ProgressListener.NONE);
            Capture.enable(deviceDb, fieldLww, ProgressListener.NONE);
            SyncEngine hub = SyncEngine.open(hubDb);
            SyncEngine device = SyncEngine.open(deviceDb);
            hubDb.execute("INSERT INTO customer VALUES (5, 'hub')");
            device.pullThenPush(new InProcessTransport(hub));

            deviceDb.execute("ALTER TABLE customer ADD COLUMN early TEXT"); // before the hub has it
            device.refreshSchema();
            deviceDb.execute("UPDATE customer SET early = 'mine' WHERE id = 5");
            Thread.sleep(5);
            hubDb.execute("UPDATE customer SET name = 'other' WHERE id = 5"); // newer, without the column
            hubDb.execute("ALTER TABLE customer ADD COLUMN early VARCHAR(40)");
            hub.refreshSchema();

            device.pullThenPush(new InProcessTransport(hub));
            device.pullThenPush(new InProcessTransport(hub));

            assertThat(rows(hubDb)).containsExactly("5|other|mine");
            assertThat(rows(deviceDb)).containsExactly("5|other|mine");
        }
    }

    private static List<String> rows(ShuttleDatabase db) {
        return db.read(c -> {
            List<String> out = new ArrayList<>();
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT id, name, early FROM customer ORDER BY id")) {
                while (rs.next()) {
                    out.add(rs.getLong(1) + "|" + rs.getString(2) + "|" + rs.getString(3));
                }
            }
            return out;
        });
    }
}
