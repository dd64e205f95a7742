package io.shuttlebridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two devices with no hub, driven only by the real shuttle jar in separate processes and plain SQL. */
class BundleProcessIT {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {}

    static Result shuttle(String... args) throws Exception {
        Path jar = Path.of("target", "shuttle.jar").toAbsolutePath();
        assertThat(jar).as("run after 'package': the fat jar").exists();
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        String out = new String(p.getInputStream().readAllBytes());
        String err = new String(p.getErrorStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out, err);
    }

    static void sql(Path db, String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            for (String q : statements) {
                s.execute(q);
            }
        }
    }

    static String rows(Path db) throws Exception {
        StringBuilder sb = new StringBuilder();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, name, city FROM customer ORDER BY id")) {
            while (rs.next()) {
                sb.append(rs.getLong(1)).append('|').append(rs.getString(2)).append('|').append(rs.getString(3)).append('\n');
            }
        }
        return sb.toString();
    }

    static String node(Path db) throws Exception {
        Result r = shuttle("status", "--db", db.toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        return new ObjectMapper().readTree(r.out()).get("nodeUuid").asText();
    }

    @Test
    void bundlesBetweenTwoDevicesConvergeWithReimportTamperingAndOutOfOrderPairs() throws Exception {
        Path a = dir.resolve("a.db");
        Path b = dir.resolve("b.db");
        for (Path f : List.of(a, b)) {
            sql(f, "CREATE TABLE customer (id INTEGER PRIMARY KEY, name TEXT, city TEXT)");
            assertThat(shuttle("init", "--db", f.toString()).code()).isZero();
        }
        String nodeA = node(a);
        String nodeB = node(b);

        sql(a, "INSERT INTO customer VALUES (1, 'Ada', 'London'), (2, 'Bob', NULL)");
        Path b1 = dir.resolve("a-b-1.bundle");
        assertThat(shuttle("bundle", "export", "--db", a.toString(), "--peer", nodeB, "--out", b1.toString()).code()).isZero();
        Result imp = shuttle("bundle", "import", "--db", b.toString(), b1.toString(), "--json");
        assertThat(imp.code()).as(imp.err()).isZero();
        assertThat(new ObjectMapper().readTree(imp.out()).get("applied").asInt()).isEqualTo(2);
        assertThat(rows(b)).isEqualTo(rows(a));

        Result again = shuttle("bundle", "import", "--db", b.toString(), b1.toString());
        assertThat(again.code()).isZero();
        assertThat(again.out()).contains("imported before; nothing changed");

        Path tampered = dir.resolve("tampered.bundle");
        Files.copy(b1, tampered);
        sql(tampered, "UPDATE bundle_changes SET change_json = replace(change_json, 'London', 'Paris')");
        Result refused = shuttle("bundle", "import", "--db", b.toString(), tampered.toString());
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err().strip().lines()).hasSize(1);
        assertThat(refused.err()).contains("does not match its hash");

        sql(b, "UPDATE customer SET city = 'Oslo' WHERE id = 2");
        Path back = dir.resolve("b-a-1.bundle");
        assertThat(shuttle("bundle", "export", "--db", b.toString(), "--peer", nodeA, "--out", back.toString()).code()).isZero();
        assertThat(shuttle("bundle", "import", "--db", a.toString(), back.toString()).code()).isZero();
        assertThat(rows(a)).isEqualTo(rows(b));

        // two bundles from A, carried in the wrong order
        sql(a, "UPDATE customer SET name = 'Ada L.' WHERE id = 1");
        Path first = dir.resolve("a-b-2.bundle");
        assertThat(shuttle("bundle", "export", "--db", a.toString(), "--peer", nodeB, "--out", first.toString()).code()).isZero();
        sql(a, "DELETE FROM customer WHERE id = 2", "INSERT INTO customer VALUES (3, 'Cy', 'Rome')");
        Path second = dir.resolve("a-b-3.bundle");
        assertThat(shuttle("bundle", "export", "--db", a.toString(), "--peer", nodeB, "--out", second.toString()).code()).isZero();
        assertThat(shuttle("bundle", "import", "--db", b.toString(), second.toString()).code()).isZero();
        assertThat(shuttle("bundle", "import", "--db", b.toString(), first.toString()).code()).isZero();
        assertThat(rows(b)).isEqualTo(rows(a)).contains("3|Cy|Rome").doesNotContain("2|Bob");

        Result bad = shuttle("bundle", "export", "--db", a.toString(), "--peer", "not-a-uuid", "--out", dir.resolve("x").toString());
        assertThat(bad.code()).isEqualTo(2);
    }
}
