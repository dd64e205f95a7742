package io.shuttlebridge.core.dialect.postgres;

import static io.shuttlebridge.core.Postgres.exec;
import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.Postgres;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.SqliteFiles;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.capture.CaptureOptions;
import io.shuttlebridge.core.sync.Cluster;
import io.shuttlebridge.core.sync.InProcessTransport;
import io.shuttlebridge.core.sync.SyncEngine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A PostgreSQL hub and two SQLite devices converge, with writes made by plain SQL on every side. */
class PostgresHubScenarioTest {
    @TempDir
    Path dir;

    @Test
    void devicesAndHubConverge() {
        String url = Postgres.freshDatabase();
        exec(url, "CREATE TABLE customer (id bigint PRIMARY KEY, name text, city text, referred_by bigint REFERENCES customer(id))",
                "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customer(id), total bigint, note text)",
                "INSERT INTO customer VALUES (1, 'hub-made', 'Oslo', NULL)");
        List<Path> files = new ArrayList<>();
        List<SyncEngine> devices = new ArrayList<>();
        try (ShuttleDatabase hubDb = ShuttleDatabase.open(url)) {
            Capture.enable(hubDb, CaptureOptions.allTables(), ProgressListener.NONE);
            SyncEngine hub = SyncEngine.open(hubDb);
            InProcessTransport transport = new InProcessTransport(hub);
            List<ShuttleDatabase> dbs = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Path f = dir.resolve("device" + i + ".db");
                SqliteFiles.exec(f, Cluster.SCHEMA);
                ShuttleDatabase db = ShuttleDatabase.sqlite(f);
                Capture.enable(db, CaptureOptions.allTables(), ProgressListener.NONE);
                files.add(f);
                dbs.add(db);
                devices.add(SyncEngine.open(db));
            }
            Runnable settle = () -> {
                for (int round = 0; round < 3; round++) {
                    for (SyncEngine d : devices) {
                        d.pullThenPush(transport, hub.nodeUuid());
                    }
                }
            };
            settle.run();
            SqliteFiles.exec(files.get(0), "INSERT INTO customer VALUES (2, 'ann', 'Rome', 1)", "INSERT INTO customer VALUES (3, 'bo', NULL, 2)",
                    "INSERT INTO orders VALUES (10, 2, 500, 'first')");
            SqliteFiles.exec(files.get(1), "INSERT INTO customer VALUES (4, 'cy', 'Lima', 1)", "INSERT INTO orders VALUES (11, 4, 70, NULL)");
            exec(url, "INSERT INTO orders VALUES (12, 1, 9, 'psql')", "UPDATE customer SET city = 'Bergen' WHERE id = 1");
            settle.run();
            // concurrent edits of one row: last writer wins everywhere
            SqliteFiles.exec(files.get(0), "UPDATE orders SET note = 'device0' WHERE id = 10");
            exec(url, "UPDATE orders SET note = 'hub' WHERE id = 10");
            SqliteFiles.exec(files.get(1), "DELETE FROM orders WHERE id = 11");
            settle.run();

            List<Map<String, Object>> hubCustomers = pgRows(url, "SELECT id, name, city, referred_by FROM customer ORDER BY id");
            List<Map<String, Object>> hubOrders = pgRows(url, "SELECT id, customer_id, total, note FROM orders ORDER BY id");
            assertThat(hubCustomers).hasSize(4);
            assertThat(hubOrders).extracting(r -> r.get("id")).containsExactly(10L, 12L);
            assertThat(hubOrders.get(0).get("note")).isEqualTo("hub");
            for (Path f : files) {
                assertThat(SqliteFiles.query(f, "SELECT id, name, city, referred_by FROM customer ORDER BY id")).isEqualTo(hubCustomers);
                assertThat(SqliteFiles.query(f, "SELECT id, customer_id, total, note FROM orders ORDER BY id")).isEqualTo(hubOrders);
            }
            for (SyncEngine d : devices) {
                assertThat(d.waitingChanges()).isZero();
            }
            dbs.forEach(ShuttleDatabase::close);
        }
    }

    /** Rows with integers as Long, like the SQLite side reads them. */
    private static List<Map<String, Object>> pgRows(String url, String sql) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> r : Postgres.query(url, sql)) {
            Map<String, Object> m = new LinkedHashMap<>();
            r.forEach((k, v) -> m.put(k, v instanceof Integer i ? Long.valueOf(i) : v));
            out.add(m);
        }
        return out;
    }
}
