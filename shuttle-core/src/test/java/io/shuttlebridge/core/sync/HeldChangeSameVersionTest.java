package io.shuttlebridge.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.SqliteFiles;
import io.shuttlebridge.core.backup.Backups;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.capture.CaptureOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Found by the randomized simulation with restores (seeds 8364, 8353): the hub deleted an order (version 2 on
 * base 1) in a history it then lost to a restore, and a device received that deletion. The order's writer had
 * updated it meanwhile, also version 2 on base 1, and pushed it again after the restore: the hub holds the
 * update. The device held the update from its hub while the update's new parent had not arrived yet, and when
 * the parent came, judged it out of date by its version alone (it held a version 2 of the row already) and
 * dropped it: the device kept the deletion, the hub the update, for good. A held change of the version the
 * device's entry carries, under another stamp, is now decided by the policy as the change fresh from the hub
 * would be, and every replica ends with the hub's row.
 */
class HeldChangeSameVersionTest {
    private static final String[] SCHEMA = {
        "CREATE TABLE customer (id INTEGER PRIMARY KEY, name TEXT)",
        "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customer (id),"
                + " note TEXT)"
    };

    @TempDir
    Path dir;

    private final List<ShuttleDatabase> opened = new ArrayList<>();

    private ShuttleDatabase open(Path f, ConflictPolicy policy, boolean create) {
        if (create) {
            SqliteFiles.exec(f, SCHEMA);
        }
        ShuttleDatabase db = ShuttleDatabase.sqlite(f);
        if (create) {
            Capture.enable(db, CaptureOptions.builder().policy(policy).build(), ProgressListener.NONE);
        }
        opened.add(db);
        return db;
    }

    private static void replace(Path from, Path to) throws Exception {
        Files.deleteIfExists(Path.of(to + "-wal"));
        Files.deleteIfExists(Path.of(to + "-shm"));
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    }

    private static SyncEngine engine(ShuttleDatabase db, ConflictPolicy policy, int pageSize) {
        SyncEngine.Builder b = SyncEngine.builder(db).pageSize(pageSize);
        if (policy == ConflictPolicy.CUSTOM) {
            for (String t : List.of("customer", "orders")) {
                b.resolver(t, (table, local, remote, base) -> new ConflictResolver.TakeRemote());
            }
        }
        return b.build();
    }

    private static List<String> rows(ShuttleDatabase db) {
        return db.read(c -> {
            List<String> out = new ArrayList<>();
            try (var st = c.createStatement();
                    var rs = st.executeQuery(
                            "SELECT 'customer ' || id || ' ' || name FROM customer UNION ALL"
                                    + " SELECT 'orders ' || id || ' of ' || customer_id || ' ' || note FROM orders ORDER BY 1")) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ConflictPolicy.class)
    void aHeldUpdateOfTheVersionOfALostDeletionIsNotDropped(ConflictPolicy policy) throws Exception {
        try {
            Path hubFile = dir.resolve("hub.db");
            ShuttleDatabase hubDb = open(hubFile, policy, true);
            ShuttleDatabase w = open(dir.resolve("w.db"), policy, true);
            ShuttleDatabase d = open(dir.resolve("d.db"), policy, true);
            SyncEngine hub = SyncEngine.open(hubDb);
            w.execute("INSERT INTO customer VALUES (1, 'first')");
            engine(w, policy, 100).pullThenPush(new InProcessTransport(hub));
            engine(d, policy, 100).pullThenPush(new InProcessTransport(hub));
            Path hubBak = Backups.sqlite(hubFile.toString(), dir.resolve("hub.bak"), ProgressListener.NONE)
                    .file();

            // after the hub's backup: w writes order 10, the hub deletes it (version 2 on base 1), d receives
            // the deletion; w, which has not heard of it, updates the order (version 2 on base 1 too) to refer
            // to a new customer
            w.execute("INSERT INTO orders VALUES (10, 1, 'placed')");
            engine(w, policy, 100).pullThenPush(new InProcessTransport(hub));
            hubDb.execute("DELETE FROM orders WHERE id = 10");
            engine(d, policy, 100).pullThenPush(new InProcessTransport(hub));
            assertThat(rows(d)).as("d took the hub's deletion").containsExactly("customer 1 first");
            w.execute("INSERT INTO customer VALUES (2, 'second')");
            w.execute("UPDATE orders SET customer_id = 2, note = 'updated' WHERE id = 10");

            // the hub is restored from its backup; d recovers from it first, then w pushes its order and update
            hubDb.close();
            replace(hubBak, hubFile);
            hubDb = open(hubFile, policy, false);
            hub = SyncEngine.open(hubDb);
            engine(d, policy, 100).pullThenPush(new InProcessTransport(hub));
            engine(w, policy, 100).pullThenPush(new InProcessTransport(hub));
            assertThat(rows(hubDb)).contains("orders 10 of 2 updated");
            // the customer written again on the hub: its feed entry comes after the order's, so d, one page at a
            // time, holds the order until its customer arrives in the next page
            hubDb.execute("UPDATE customer SET name = 'second, again' WHERE id = 2");
            for (int round = 0; round < 2; round++) {
                engine(d, policy, 1).pullThenPush(new InProcessTransport(hub));
                engine(w, policy, 100).pullThenPush(new InProcessTransport(hub));
            }

            List<String> expected = List.of("customer 1 first", "customer 2 second, again", "orders 10 of 2 updated");
            assertThat(rows(hubDb)).as("hub").isEqualTo(expected);
            assertThat(rows(w)).as("w").isEqualTo(expected);
            assertThat(rows(d)).as("d").isEqualTo(expected);
            assertThat(engine(d, policy, 100).waitingChanges()).as("held on d").isZero();
        } finally {
            for (ShuttleDatabase db : opened) {
                db.close();
            }
        }
    }
}
