package io.shuttlebridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two devices with no hub, driven only by the real shuttle jar in separate processes and plain SQL. */
class BundleProcessIT {
    @TempDir
    Path dir;

    /** The customers, one line per row, as one text (so a substring check covers every row). */
    static String rows(Path db) throws Exception {
        return String.join("\n", ShuttleJar.rows(db, "SELECT id, name, city FROM customer ORDER BY id"));
    }

    String node(Path db) throws Exception {
        ShuttleJar.Result r = ShuttleJar.run(dir, "status", "--db", db.toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        return new ObjectMapper().readTree(r.out()).get("nodeUuid").asText();
    }

    @Test
    void bundlesBetweenTwoDevicesConvergeWithReimportTamperingAndOutOfOrderPairs() throws Exception {
        Path a = dir.resolve("a.db");
        Path b = dir.resolve("b.db");
        for (Path f : List.of(a, b)) {
            ShuttleJar.sql(f, "CREATE TABLE customer (id INTEGER PRIMARY KEY, name TEXT, city TEXT)");
            assertThat(ShuttleJar.run(dir, "init", "--db", f.toString()).code()).isZero();
        }
        String nodeA = node(a);
        String nodeB = node(b);

        ShuttleJar.sql(a, "INSERT INTO customer VALUES (1, 'Ada', 'London'), (2, 'Bob', NULL)");
        Path b1 = dir.resolve("a-b-1.bundle");
        assertThat(ShuttleJar.run(
                                dir, "bundle", "export", "--db", a.toString(), "--peer", nodeB, "--out", b1.toString())
                        .code())
                .isZero();
        ShuttleJar.Result imp = ShuttleJar.run(dir, "bundle", "import", "--db", b.toString(), b1.toString(), "--json");
        assertThat(imp.code()).as(imp.err()).isZero();
        assertThat(new ObjectMapper().readTree(imp.out()).get("applied").asInt())
                .isEqualTo(2);
        assertThat(rows(b)).isEqualTo(rows(a));

        ShuttleJar.Result again = ShuttleJar.run(dir, "bundle", "import", "--db", b.toString(), b1.toString());
        assertThat(again.code()).isZero();
        assertThat(again.out()).contains("imported before; nothing changed");

        Path tampered = dir.resolve("tampered.bundle");
        Files.copy(b1, tampered);
        ShuttleJar.sql(tampered, "UPDATE bundle_changes SET change_json = replace(change_json, 'London', 'Paris')");
        ShuttleJar.Result refused = ShuttleJar.run(dir, "bundle", "import", "--db", b.toString(), tampered.toString());
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err().strip().lines()).hasSize(1);
        assertThat(refused.err()).contains("does not match its hash");

        ShuttleJar.sql(b, "UPDATE customer SET city = 'Oslo' WHERE id = 2");
        Path back = dir.resolve("b-a-1.bundle");
        assertThat(ShuttleJar.run(
                                dir,
                                "bundle",
                                "export",
                                "--db",
                                b.toString(),
                                "--peer",
                                nodeA,
                                "--out",
                                back.toString())
                        .code())
                .isZero();
        assertThat(ShuttleJar.run(dir, "bundle", "import", "--db", a.toString(), back.toString())
                        .code())
                .isZero();
        assertThat(rows(a)).isEqualTo(rows(b));

        // two bundles from A, carried in the wrong order
        ShuttleJar.sql(a, "UPDATE customer SET name = 'Ada L.' WHERE id = 1");
        Path first = dir.resolve("a-b-2.bundle");
        assertThat(ShuttleJar.run(
                                dir,
                                "bundle",
                                "export",
                                "--db",
                                a.toString(),
                                "--peer",
                                nodeB,
                                "--out",
                                first.toString())
                        .code())
                .isZero();
        ShuttleJar.sql(a, "DELETE FROM customer WHERE id = 2", "INSERT INTO customer VALUES (3, 'Cy', 'Rome')");
        Path second = dir.resolve("a-b-3.bundle");
        assertThat(ShuttleJar.run(
                                dir,
                                "bundle",
                                "export",
                                "--db",
                                a.toString(),
                                "--peer",
                                nodeB,
                                "--out",
                                second.toString())
                        .code())
                .isZero();
        assertThat(ShuttleJar.run(dir, "bundle", "import", "--db", b.toString(), second.toString())
                        .code())
                .isZero();
        assertThat(ShuttleJar.run(dir, "bundle", "import", "--db", b.toString(), first.toString())
                        .code())
                .isZero();
        assertThat(rows(b)).isEqualTo(rows(a)).contains("3|Cy|Rome").doesNotContain("2|Bob");

        ShuttleJar.Result bad = ShuttleJar.run(
                dir,
                "bundle",
                "export",
                "--db",
                a.toString(),
                "--peer",
                "not-a-uuid",
                "--out",
                dir.resolve("x").toString());
        assertThat(bad.code()).isEqualTo(2);
    }
}
