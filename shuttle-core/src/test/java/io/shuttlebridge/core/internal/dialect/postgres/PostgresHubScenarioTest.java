package io.shuttlebridge.core.internal.dialect.postgres;

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

    /** A fresh PostgreSQL database with the devices' tables, and the given statements run on it. */
    private static String hubDatabase(String... rows) {
        String url = Postgres.freshDatabase();
        exec(
                url,
                "CREATE TABLE customer (id bigint PRIMARY KEY, name text, city text, referred_by bigint REFERENCES customer(id))",
                "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customer(id), total bigint, note text)");
        if (rows.length > 0) {
            exec(url, rows);
        }
        return url;
    }

    private static ShuttleDatabase enabled(ShuttleDatabase db) {
        Capture.enable(db, CaptureOptions.allTables(), ProgressListener.NONE);
        return db;
    }

    /** SQLite device {@code i} with sync enabled; its file and database are added to the lists (the caller closes them). */
    private SyncEngine device(int i, List<Path> files, List<ShuttleDatabase> dbs) {
        Path f = dir.resolve("device" + i + ".db");
        SqliteFiles.exec(f, Cluster.SCHEMA);
        ShuttleDatabase db = enabled(ShuttleDatabase.sqlite(f));
        files.add(f);
        dbs.add(db);
        return SyncEngine.open(db);
    }

    @Test
    void devicesAndHubConverge() {
        String url = hubDatabase("INSERT INTO customer VALUES (1, 'hub-made', 'Oslo', NULL)");
        List<Path> files = new ArrayList<>();
        List<SyncEngine> devices = new ArrayList<>();
        try (ShuttleDatabase hubDb = enabled(ShuttleDatabase.open(url))) {
            SyncEngine hub = SyncEngine.open(hubDb);
            InProcessTransport transport = new InProcessTransport(hub);
            List<ShuttleDatabase> dbs = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                devices.add(device(i, files, dbs));
            }
            Runnable settle = () -> {
                for (int round = 0; round < 3; round++) {
                    for (SyncEngine d : devices) {
                        d.pullThenPush(transport);
                    }
                }
            };
            settle.run();
            SqliteFiles.exec(
                    files.get(0),
                    "INSERT INTO customer VALUES (2, 'ann', 'Rome', 1)",
                    "INSERT INTO customer VALUES (3, 'bo', NULL, 2)",
                    "INSERT INTO orders VALUES (10, 2, 500, 'first')");
            SqliteFiles.exec(
                    files.get(1),
                    "INSERT INTO customer VALUES (4, 'cy', 'Lima', 1)",
                    "INSERT INTO orders VALUES (11, 4, 70, NULL)");
            exec(
                    url,
                    "INSERT INTO orders VALUES (12, 1, 9, 'psql')",
                    "UPDATE customer SET city = 'Bergen' WHERE id = 1");
            settle.run();
            // concurrent edits of one row: last writer wins everywhere
            SqliteFiles.exec(files.get(0), "UPDATE orders SET note = 'device0' WHERE id = 10");
            exec(url, "UPDATE orders SET note = 'hub' WHERE id = 10");
            SqliteFiles.exec(files.get(1), "DELETE FROM orders WHERE id = 11");
            settle.run();

            List<Map<String, Object>> hubCustomers =
                    pgRows(url, "SELECT id, name, city, referred_by FROM customer ORDER BY id");
            List<Map<String, Object>> hubOrders =
                    pgRows(url, "SELECT id, customer_id, total, note FROM orders ORDER BY id");
            assertThat(hubCustomers).hasSize(4);
            assertThat(hubOrders).extracting(r -> r.get("id")).containsExactly(10L, 12L);
            assertThat(hubOrders.get(0).get("note")).isEqualTo("hub");
            for (Path f : files) {
                assertThat(SqliteFiles.query(f, "SELECT id, name, city, referred_by FROM customer ORDER BY id"))
                        .isEqualTo(hubCustomers);
                assertThat(SqliteFiles.query(f, "SELECT id, customer_id, total, note FROM orders ORDER BY id"))
                        .isEqualTo(hubOrders);
            }
            for (SyncEngine d : devices) {
                assertThat(d.waitingChanges()).isZero();
            }
            dbs.forEach(ShuttleDatabase::close);
        }
    }

    /**
     * Two devices make a reference cycle on the hub (1 refers to 2, 2 refers to 1) while a third,
     * which never saw it, deletes 1. The hub deletes 2 with it (2 refers to 1); with immediate
     * foreign keys neither row of the cycle can go first, so the hub breaks the cycle before it
     * deletes. Every replica ends with neither row.
     */
    @Test
    void aDeleteReachingAReferenceCycleOnTheHubDeletesTheCycle() {
        String url = hubDatabase(
                "INSERT INTO customer VALUES (1, 'ann', NULL, NULL), (2, 'bo', NULL, NULL), (3, 'cy', NULL, NULL)");
        List<Path> files = new ArrayList<>();
        List<ShuttleDatabase> dbs = new ArrayList<>();
        try (ShuttleDatabase hubDb = enabled(ShuttleDatabase.open(url))) {
            SyncEngine hub = SyncEngine.open(hubDb);
            InProcessTransport transport = new InProcessTransport(hub);
            List<SyncEngine> devices = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                devices.add(device(i, files, dbs));
                devices.get(i).pullThenPush(transport);
            }
            SqliteFiles.exec(files.get(0), "UPDATE customer SET referred_by = 2 WHERE id = 1");
            SqliteFiles.exec(
                    files.get(1),
                    "UPDATE customer SET referred_by = 1 WHERE id = 2",
                    "UPDATE customer SET referred_by = 2 WHERE id = 3");
            SqliteFiles.exec(files.get(2), "DELETE FROM customer WHERE id = 1");
            devices.get(0).pullThenPush(transport);
            devices.get(1).pullThenPush(transport);
            assertThat(pgRows(url, "SELECT id, referred_by FROM customer ORDER BY id"))
                    .as("the cycle on the hub")
                    .extracting(r -> r.get("referred_by"))
                    .containsExactly(2L, 1L, 2L);
            for (int round = 0; round < 2; round++) {
                for (SyncEngine d : devices) {
                    d.pullThenPush(transport);
                }
            }
            List<Map<String, Object>> onHub =
                    pgRows(url, "SELECT id, name, city, referred_by FROM customer ORDER BY id");
            assertThat(onHub).as("1 deleted, 2 with it, 3 with 2").isEmpty();
            for (Path f : files) {
                assertThat(SqliteFiles.query(f, "SELECT id, name, city, referred_by FROM customer ORDER BY id"))
                        .isEqualTo(onHub);
            }
            for (SyncEngine d : devices) {
                assertThat(d.waitingChanges()).isZero();
            }
        } finally {
            dbs.forEach(ShuttleDatabase::close);
        }
    }

    /**
     * A device makes two new rows that refer to each other. The PostgreSQL hub, whose ordinary foreign
     * keys are checked at once, receives each before the other exists: it writes them together, the
     * references set once both rows are there, and the other device gets both.
     */
    @Test
    void newRowsReferringToEachOtherReachAPostgresHubAndTheOtherDevice() {
        String url = hubDatabase();
        List<Path> files = new ArrayList<>();
        List<ShuttleDatabase> dbs = new ArrayList<>();
        try (ShuttleDatabase hubDb = enabled(ShuttleDatabase.open(url))) {
            SyncEngine hub = SyncEngine.open(hubDb);
            InProcessTransport transport = new InProcessTransport(hub);
            List<SyncEngine> devices = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                devices.add(device(i, files, dbs));
            }
            SqliteFiles.exec(
                    files.get(0),
                    "INSERT INTO customer (id, name) VALUES (4, 'ann')",
                    "INSERT INTO customer (id, name, referred_by) VALUES (8, 'bo', 4)",
                    "UPDATE customer SET referred_by = 8 WHERE id = 4",
                    "INSERT INTO orders VALUES (10, 4, 5, NULL)");
            for (int round = 0; round < 2; round++) {
                for (SyncEngine d : devices) {
                    d.pullThenPush(transport);
                }
            }
            assertThat(hub.waitingChanges()).isZero();
            List<Map<String, Object>> onHub =
                    pgRows(url, "SELECT id, name, city, referred_by FROM customer ORDER BY id");
            assertThat(onHub).extracting(r -> r.get("referred_by")).containsExactly(8L, 4L);
            assertThat(pgRows(url, "SELECT id FROM orders")).hasSize(1);
            for (Path f : files) {
                assertThat(SqliteFiles.query(f, "SELECT id, name, city, referred_by FROM customer ORDER BY id"))
                        .isEqualTo(onHub);
                assertThat(SqliteFiles.query(f, "SELECT id FROM orders")).hasSize(1);
            }
            for (SyncEngine d : devices) {
                assertThat(d.waitingChanges()).isZero();
            }
        } finally {
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
