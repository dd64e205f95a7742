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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Found by the randomized schema-change simulation with restores (seeds 9150 and 9165): the hub deleted rows
 * itself (the deletion of orders whose customer a device deleted, which the hub writes as its own) after its
 * last backup, and a device received those deletions. The hub was then restored from the backup: it holds
 * the orders again, with their writer's older stamps. The device, recovering from the restore, took the hub's
 * snapshot, and under LWW (and FIELD_LWW) kept its deletions, newer than the snapshot's rows, for good: the
 * hub held the orders, the device did not, and nothing it held was its own to push. The hub's snapshot is the
 * row as the hub holds it now, never older than a write the device received from the same history of the
 * hub, so a received entry the snapshot's row does not supersede is of a history the hub lost: the device
 * now forgets it and takes the hub's row, also when that row waits for a parent the snapshot brings later;
 * a deletion it received that the snapshot does not carry at all is forgotten too, so the row its writer
 * pushes again is taken. An update the hub made and lost gives way to the snapshot's row alike.
 */
class LostHubDeletionSnapshotTest {
    private static final String[] SCHEMA = {
        "CREATE TABLE customer (id INTEGER PRIMARY KEY, name TEXT)",
        "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customer (id),"
                + " note TEXT)"
    };

    @TempDir
    Path dir;

    private final List<ShuttleDatabase> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(ShuttleDatabase::close);
    }

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

    private static void sync(ShuttleDatabase device, ConflictPolicy policy, int pageSize, ShuttleDatabase hub) {
        SyncEngine.Builder b = SyncEngine.builder(device).pageSize(pageSize);
        if (policy == ConflictPolicy.CUSTOM) {
            for (String t : List.of("customer", "orders")) {
                b.resolver(t, (table, local, remote, base) -> new ConflictResolver.TakeRemote());
            }
        }
        b.build().pullThenPush(new InProcessTransport(SyncEngine.open(hub)));
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

    /** Replaces the hub's file with its backup, as an operator restores a SQLite hub, and opens it again. */
    private ShuttleDatabase restore(ShuttleDatabase hub, Path backup, ConflictPolicy policy) throws Exception {
        Path file = dir.resolve("hub.db");
        hub.close();
        opened.remove(hub);
        Files.deleteIfExists(Path.of(file + "-wal"));
        Files.deleteIfExists(Path.of(file + "-shm"));
        Files.copy(backup, file, StandardCopyOption.REPLACE_EXISTING);
        return open(file, policy, false);
    }

    private Path backup() {
        return Backups.sqlite(dir.resolve("hub.db").toString(), dir.resolve("hub.bak"), ProgressListener.NONE)
                .file();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ConflictPolicy.class)
    void aDeletionTheHubLostGivesWayToItsSnapshot(ConflictPolicy policy) throws Exception {
        ShuttleDatabase hub = open(dir.resolve("hub.db"), policy, true);
        ShuttleDatabase w = open(dir.resolve("w.db"), policy, true);
        ShuttleDatabase d = open(dir.resolve("d.db"), policy, true);
        w.execute("INSERT INTO customer VALUES (1, 'first')");
        w.execute("INSERT INTO orders VALUES (10, 1, 'placed')");
        sync(w, policy, 100, hub);
        sync(d, policy, 100, hub);
        Path backup = backup();

        // after the backup the hub deletes the order itself; d receives the deletion
        Thread.sleep(5);
        hub.execute("DELETE FROM orders WHERE id = 10");
        sync(d, policy, 100, hub);
        assertThat(rows(d)).as("d took the hub's deletion").containsExactly("customer 1 first");

        // the hub is restored from its backup: it holds the order again, with its writer's older stamp
        hub = restore(hub, backup, policy);
        sync(d, policy, 100, hub);
        sync(w, policy, 100, hub);

        List<String> expected = List.of("customer 1 first", "orders 10 of 1 placed");
        assertThat(rows(hub)).as("hub").isEqualTo(expected);
        assertThat(rows(w)).as("w").isEqualTo(expected);
        assertThat(rows(d)).as("d").isEqualTo(expected);
        assertThat(SyncEngine.open(d).waitingChanges()).as("held on d").isZero();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ConflictPolicy.class)
    void aRowWhoseLostDeletionWaitsForItsParentInTheSnapshotIsTakenOnceTheParentComes(ConflictPolicy policy)
            throws Exception {
        ShuttleDatabase hub = open(dir.resolve("hub.db"), policy, true);
        ShuttleDatabase w = open(dir.resolve("w.db"), policy, true);
        ShuttleDatabase d = open(dir.resolve("d.db"), policy, true);
        w.execute("INSERT INTO customer VALUES (1, 'first')");
        w.execute("INSERT INTO orders VALUES (10, 1, 'placed')");
        sync(w, policy, 100, hub);
        sync(d, policy, 100, hub);
        Path backup = backup();

        // after the backup the hub deletes the order and its customer; d receives both deletions
        Thread.sleep(5);
        hub.execute("DELETE FROM orders WHERE id = 10");
        hub.execute("DELETE FROM customer WHERE id = 1");
        sync(d, policy, 100, hub);
        assertThat(rows(d)).as("d took the hub's deletions").isEmpty();

        // the hub is restored from its backup; the customer's writer, which never heard of the deletions,
        // renames it: in the hub's feed the customer now comes after its order
        hub = restore(hub, backup, policy);
        Thread.sleep(5);
        w.execute("UPDATE customer SET name = 'renamed' WHERE id = 1");
        sync(w, policy, 100, hub);

        // d takes the snapshot one row a page: the order first, whose customer d deleted, then the customer
        sync(d, policy, 1, hub);
        sync(w, policy, 100, hub);

        List<String> expected = List.of("customer 1 renamed", "orders 10 of 1 placed");
        assertThat(rows(hub)).as("hub").isEqualTo(expected);
        assertThat(rows(w)).as("w").isEqualTo(expected);
        assertThat(rows(d)).as("d").isEqualTo(expected);
        assertThat(SyncEngine.open(d).waitingChanges()).as("held on d").isZero();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ConflictPolicy.class)
    void aDeletionTheHubLostIsForgottenWhenItsSnapshotLacksTheRow(ConflictPolicy policy) throws Exception {
        ShuttleDatabase hub = open(dir.resolve("hub.db"), policy, true);
        ShuttleDatabase w = open(dir.resolve("w.db"), policy, true);
        ShuttleDatabase d = open(dir.resolve("d.db"), policy, true);
        w.execute("INSERT INTO customer VALUES (1, 'first')");
        sync(w, policy, 100, hub);
        sync(d, policy, 100, hub);
        Path backup = backup();

        // after the backup w places an order and pushes it, the hub deletes it itself, d receives the deletion
        w.execute("INSERT INTO orders VALUES (10, 1, 'placed')");
        sync(w, policy, 100, hub);
        Thread.sleep(5);
        hub.execute("DELETE FROM orders WHERE id = 10");
        sync(d, policy, 100, hub);
        assertThat(rows(d)).as("d took the hub's deletion").containsExactly("customer 1 first");

        // the hub is restored from its backup, which has no order; d recovers first (the snapshot says nothing
        // of the order), then w, which pushes its order again: older than the deletion d received
        hub = restore(hub, backup, policy);
        sync(d, policy, 100, hub);
        sync(w, policy, 100, hub);
        sync(d, policy, 100, hub);

        List<String> expected = List.of("customer 1 first", "orders 10 of 1 placed");
        assertThat(rows(hub)).as("hub").isEqualTo(expected);
        assertThat(rows(w)).as("w").isEqualTo(expected);
        assertThat(rows(d)).as("d").isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ConflictPolicy.class)
    void anUpdateTheHubLostGivesWayToItsSnapshot(ConflictPolicy policy) throws Exception {
        ShuttleDatabase hub = open(dir.resolve("hub.db"), policy, true);
        ShuttleDatabase w = open(dir.resolve("w.db"), policy, true);
        ShuttleDatabase d = open(dir.resolve("d.db"), policy, true);
        w.execute("INSERT INTO customer VALUES (1, 'first')");
        w.execute("INSERT INTO orders VALUES (10, 1, 'placed')");
        sync(w, policy, 100, hub);
        sync(d, policy, 100, hub);
        Path backup = backup();

        // after the backup the hub updates the order itself; d receives the update
        Thread.sleep(5);
        hub.execute("UPDATE orders SET note = 'changed on the hub' WHERE id = 10");
        sync(d, policy, 100, hub);
        assertThat(rows(d)).as("d took the hub's update").contains("orders 10 of 1 changed on the hub");

        // the hub is restored from its backup: the order is as its writer placed it, with the older stamp
        hub = restore(hub, backup, policy);
        sync(d, policy, 100, hub);
        sync(w, policy, 100, hub);

        List<String> expected = List.of("customer 1 first", "orders 10 of 1 placed");
        assertThat(rows(hub)).as("hub").isEqualTo(expected);
        assertThat(rows(w)).as("w").isEqualTo(expected);
        assertThat(rows(d)).as("d").isEqualTo(expected);
    }
}
