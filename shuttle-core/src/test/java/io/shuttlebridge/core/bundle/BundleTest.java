package io.shuttlebridge.core.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.SqliteFiles;
import io.shuttlebridge.core.sync.Cluster;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two devices that never share a network, converging by carrying bundle files back and forth. */
class BundleTest {
    @TempDir
    Path dir;

    private static Bundles.ImportResult carry(Cluster.Node from, Cluster.Node to, Path file) {
        Bundles.export(from.engine(), to.engine().nodeUuid(), file, ProgressListener.NONE);
        return Bundles.importBundle(to.engine(), file, ProgressListener.NONE);
    }

    private static void assertSame(Cluster.Node a, Cluster.Node b) {
        assertThat(a.rows("customer")).isEqualTo(b.rows("customer"));
        assertThat(a.rows("orders")).isEqualTo(b.rows("orders"));
    }

    @Test
    void roundTripsOfBundlesKeepTwoDevicesConvergedAndReimportChangesNothing() {
        try (Cluster k = new Cluster(dir, 2, ConflictPolicy.LWW)) {
            Cluster.Node a = k.device(0);
            Cluster.Node b = k.device(1);
            a.sql(
                    "INSERT INTO customer (id, name) VALUES (1, 'Ada'), (2, 'Bob')",
                    "INSERT INTO orders VALUES (10, 1, 5, 'first')");
            Bundles.ImportResult first = carry(a, b, dir.resolve("a-to-b-1.bundle"));
            assertThat(first.applied()).isEqualTo(3);
            assertSame(a, b);

            Bundles.ImportResult again =
                    Bundles.importBundle(b.engine(), dir.resolve("a-to-b-1.bundle"), ProgressListener.NONE);
            assertThat(again.alreadyImported()).isTrue();
            assertThat(again.applied()).isZero();

            b.sql("UPDATE customer SET city = 'Oslo' WHERE id = 2", "DELETE FROM orders WHERE id = 10");
            Bundles.ImportResult back = carry(b, a, dir.resolve("b-to-a-1.bundle"));
            assertThat(back.applied()).isEqualTo(2); // only B's own changes: what came from A is not sent back
            assertSame(a, b);

            // B acknowledged A's changes in its bundle: A's next bundle to B starts after them
            a.sql("INSERT INTO customer (id, name) VALUES (3, 'Cy')");
            BundleManifest m = Bundles.export(
                    a.engine(), b.engine().nodeUuid(), dir.resolve("a-to-b-2.bundle"), ProgressListener.NONE);
            assertThat(m.changeCount()).isEqualTo(1);
            Bundles.importBundle(b.engine(), dir.resolve("a-to-b-2.bundle"), ProgressListener.NONE);
            assertSame(a, b);
        }
    }

    @Test
    void outOfOrderPairAndOverlappingBundlesCountDuplicates() {
        try (Cluster k = new Cluster(dir, 2, ConflictPolicy.LWW)) {
            Cluster.Node a = k.device(0);
            Cluster.Node b = k.device(1);
            a.sql("INSERT INTO customer (id, name) VALUES (1, 'one')");
            Bundles.export(a.engine(), b.engine().nodeUuid(), dir.resolve("1.bundle"), ProgressListener.NONE);
            a.sql("UPDATE customer SET name = 'two' WHERE id = 1", "INSERT INTO customer (id, name) VALUES (2, 'x')");
            Bundles.export(a.engine(), b.engine().nodeUuid(), dir.resolve("2.bundle"), ProgressListener.NONE);
            Bundles.ImportResult later =
                    Bundles.importBundle(b.engine(), dir.resolve("2.bundle"), ProgressListener.NONE);
            Bundles.ImportResult earlier =
                    Bundles.importBundle(b.engine(), dir.resolve("1.bundle"), ProgressListener.NONE);
            assertThat(later.applied()).isEqualTo(2);
            assertThat(earlier.applied()).isZero();
            assertThat(earlier.superseded() + earlier.duplicates()).isEqualTo(1);
            assertSame(a, b);
            assertThat(b.rows("customer").get(0)).containsEntry("name", "two");
        }
    }

    @Test
    void tamperedAndTruncatedBundlesAreRefusedAndNothingIsApplied() throws Exception {
        try (Cluster k = new Cluster(dir, 2, ConflictPolicy.LWW)) {
            Cluster.Node a = k.device(0);
            Cluster.Node b = k.device(1);
            a.sql("INSERT INTO customer (id, name) VALUES (1, 'honest'), (2, 'also honest')");
            Path good = dir.resolve("good.bundle");
            Bundles.export(a.engine(), b.engine().nodeUuid(), good, ProgressListener.NONE);

            Path tampered = dir.resolve("tampered.bundle");
            Files.copy(good, tampered);
            SqliteFiles.exec(
                    tampered,
                    "UPDATE bundle_changes SET change_json = replace(change_json, 'honest', 'forged') WHERE n = 1");
            assertThatThrownBy(() -> Bundles.importBundle(b.engine(), tampered, ProgressListener.NONE))
                    .isInstanceOf(ShuttleException.class)
                    .hasMessageContaining("does not match its hash")
                    .hasMessageContaining("nothing applied");

            Path truncated = dir.resolve("truncated.bundle");
            byte[] bytes = Files.readAllBytes(good);
            Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
            assertThatThrownBy(() -> Bundles.importBundle(b.engine(), truncated, ProgressListener.NONE))
                    .isInstanceOf(ShuttleException.class)
                    .hasMessageContaining("refused, nothing applied");

            Path dropped = dir.resolve("dropped.bundle");
            Files.copy(good, dropped);
            SqliteFiles.exec(dropped, "DELETE FROM bundle_changes WHERE n = 2");
            assertThatThrownBy(() -> Bundles.importBundle(b.engine(), dropped, ProgressListener.NONE))
                    .hasMessageContaining("declares 2 changes but holds 1");

            assertThat(b.rows("customer")).isEmpty();
            assertThat(Bundles.importBundle(b.engine(), good, ProgressListener.NONE)
                            .applied())
                    .isEqualTo(2);
            try (RandomAccessFile f =
                    new RandomAccessFile(dir.resolve("junk.bundle").toFile(), "rw")) {
                f.write("not a database at all, just text".getBytes());
            }
            assertThatThrownBy(
                            () -> Bundles.importBundle(b.engine(), dir.resolve("junk.bundle"), ProgressListener.NONE))
                    .hasMessageContaining("refused, nothing applied");
        }
    }

    @Test
    void acknowledgementsCarriedBackLetTombstonesBePurged() {
        try (Cluster k = new Cluster(dir, 2, ConflictPolicy.LWW)) {
            Cluster.Node a = k.device(0);
            Cluster.Node b = k.device(1);
            a.sql("INSERT INTO customer (id, name) VALUES (1, 'x')", "DELETE FROM customer WHERE id = 1");
            carry(a, b, dir.resolve("1.bundle"));
            assertThat(a.engine().purgeTombstones()).isZero(); // B has not said it received the delete
            carry(b, a, dir.resolve("2.bundle")); // carries B's acknowledgement back
            assertThat(a.engine().purgeTombstones()).isEqualTo(1);
        }
    }
}
