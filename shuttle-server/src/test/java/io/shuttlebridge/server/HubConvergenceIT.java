package io.shuttlebridge.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.client.DeviceClone;
import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.sync.SyncEngine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two SQLite devices and a SQLite hub over real HTTP: clone, writes with plain SQL everywhere, convergence. */
class HubConvergenceIT {
    @TempDir
    Path dir;

    @Test
    void devicesCloneAndConvergeWithPlainSqlWritesOnEverySide() throws Exception {
        try (ShuttleDatabase hubDb = Fixtures.hubDatabase(dir);
                HubServer hub = Fixtures.start(SyncEngine.open(hubDb))) {
            HttpTransport http = Fixtures.transport(hub);
            Path a = dir.resolve("a.db");
            Path b = dir.resolve("b.db");
            List<long[]> progress = new ArrayList<>();
            try (ShuttleDatabase da = ShuttleDatabase.sqlite(a);
                    ShuttleDatabase db = ShuttleDatabase.sqlite(b)) {
                DeviceClone.Result ra =
                        DeviceClone.run(da, http, (task, done, total) -> progress.add(new long[] {done, total}));
                DeviceClone.Result rb = DeviceClone.run(db, http, ProgressListener.NONE);
                assertThat(ra.rows()).isEqualTo(3);
                assertThat(ra.lease().shortId()).isNotEqualTo(rb.lease().shortId());
                assertThat(progress).isNotEmpty();
                assertThat(progress.getLast()[0]).isEqualTo(progress.getLast()[1]);
                assertThat(Fixtures.rows(a, "customer")).isEqualTo(Fixtures.rows(dir.resolve("hub.db"), "customer"));
                assertThat(Fixtures.rows(a, "orders"))
                        .containsExactly("1:Integer|1:Integer|9.99:Double|9007199254740993:Long");

                Fixtures.sql(
                        a,
                        "INSERT INTO customer VALUES (3, 'from A', 1.25, x'01')",
                        "UPDATE customer SET name = 'Ada L.' WHERE id = 1");
                Fixtures.sql(
                        b,
                        "INSERT INTO orders VALUES (2, 2, 5.5, -9223372036854775808)",
                        "DELETE FROM customer WHERE id = 3");
                Fixtures.sql(dir.resolve("hub.db"), "INSERT INTO customer VALUES (4, 'on the hub', 2, NULL)");

                SyncEngine ea = SyncEngine.open(da);
                SyncEngine eb = SyncEngine.open(db);
                for (int round = 0; round < 2; round++) {
                    ea.pullThenPush(http);
                    eb.pullThenPush(http);
                }
                for (String table : List.of("customer", "orders")) {
                    List<String> onHub = Fixtures.rows(dir.resolve("hub.db"), table);
                    assertThat(Fixtures.rows(a, table)).as(table + " on A").isEqualTo(onHub);
                    assertThat(Fixtures.rows(b, table)).as(table + " on B").isEqualTo(onHub);
                }
                assertThat(Fixtures.rows(a, "customer"))
                        .anyMatch(r -> r.contains("Ada L."))
                        .anyMatch(r -> r.contains("on the hub"));
                assertThat(Fixtures.rows(a, "orders")).anyMatch(r -> r.contains("-9223372036854775808"));
                assertThat(ea.pendingChanges(ra.hubNode())).isZero();
                assertThat(eb.pendingChanges(rb.hubNode())).isZero();
            }
        }
    }

    @Test
    void cloneRunTwiceResumesAndKeepsTheLease() throws Exception {
        try (ShuttleDatabase hubDb = Fixtures.hubDatabase(dir);
                HubServer hub = Fixtures.start(SyncEngine.open(hubDb))) {
            HttpTransport http = Fixtures.transport(hub);
            try (ShuttleDatabase d = ShuttleDatabase.sqlite(dir.resolve("d.db"))) {
                DeviceClone.Result first = DeviceClone.run(d, http, ProgressListener.NONE);
                Fixtures.sql(dir.resolve("hub.db"), "INSERT INTO customer VALUES (9, 'later', 0, NULL)");
                DeviceClone.Result again = DeviceClone.run(d, http, ProgressListener.NONE);
                assertThat(again.resumed()).isTrue();
                assertThat(again.lease().shortId()).isEqualTo(first.lease().shortId());
                assertThat(again.rows()).isEqualTo(1);
                assertThat(Fixtures.rows(dir.resolve("d.db"), "customer"))
                        .isEqualTo(Fixtures.rows(dir.resolve("hub.db"), "customer"));
            }
        }
    }
}
