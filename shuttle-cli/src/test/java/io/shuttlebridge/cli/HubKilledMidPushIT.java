package io.shuttlebridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hub process killed with SIGKILL while a device's push is in flight: after a restart and the
 * device's retry, the hub holds every device row exactly once, and the device has nothing left
 * to send and nothing sent twice.
 */
class HubKilledMidPushIT {
    private static final Path JAR = Path.of("target", "shuttle.jar");
    private static final int ROWS = 60_000;

    @TempDir
    Path dir;

    @Test
    void sigkillDuringPushLosesAndDuplicatesNothing() throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(JAR), "the shaded jar is built in the package phase");
        Path hubDb = dir.resolve("hub.db");
        sql(hubDb, "CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT NOT NULL)", "INSERT INTO note VALUES (0, 'on the hub')");
        assertThat(run("init", "--db", hubDb.toString()).exitValue()).isZero();
        Process serve = start("serve", "--db", hubDb.toString(), "--port", "0", "--token", "tk", "--host", "127.0.0.1");
        Path device = dir.resolve("device.db");
        try {
            String url = listeningUrl(serve);
            assertThat(run("clone", "--hub", url, "--db", device.toString(), "--token", "tk").exitValue()).isZero();
            insertRows(device);

            Process push = start("sync", "--db", device.toString(), "--token", "tk");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            long landed;
            while ((landed = count(hubDb, "SELECT count(*) FROM note")) <= 1 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            serve.destroyForcibly(); // SIGKILL: no graceful shutdown, a push may be half-way through its transaction
            assertThat(serve.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(landed).as("rows on the hub when it was killed").isGreaterThan(1).isLessThan(ROWS + 1);
            push.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            assertThat(push.waitFor(120, TimeUnit.SECONDS)).as("the interrupted sync gives up").isTrue();

            serve = start("serve", "--db", hubDb.toString(), "--port", "0", "--token", "tk", "--host", "127.0.0.1");
            String again = listeningUrl(serve);
            Process retry = run("sync", "--hub", again, "--db", device.toString(), "--token", "tk", "--json");
            assertThat(retry.exitValue()).isZero();

            assertThat(count(hubDb, "SELECT count(*) FROM note")).isEqualTo(ROWS + 1);
            assertThat(count(hubDb, "SELECT count(DISTINCT body) FROM note")).isEqualTo(ROWS + 1);
            assertThat(count(hubDb, "SELECT count(*) FROM _shuttle_feed")).as("one feed entry per row").isEqualTo(ROWS + 1);
            assertThat(rows(device)).isEqualTo(rows(hubDb));

            Process idle = run("sync", "--hub", again, "--db", device.toString(), "--token", "tk", "--json");
            assertThat(idle.exitValue()).isZero();
            assertThat(lastOutput).as("nothing left to push or pull").contains("\"pulled\":0").contains("\"pushed\":0")
                    .contains("\"pushDuplicates\":0");
        } finally {
            serve.destroy();
            assertThat(serve.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    private String lastOutput = "";

    private void insertRows(Path device) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + device)) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO note (id, body) VALUES (?, ?)")) {
                for (int i = 1; i <= ROWS; i++) {
                    ps.setInt(1, i);
                    ps.setString(2, "device row " + i);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
        }
    }

    private Process start(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-jar", JAR.toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().put("SHUTTLE_NO_PROGRESS", "1");
        return pb.redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("stderr-" + args[0] + ".log").toFile())).start();
    }

    private Process run(String... args) throws Exception {
        Process p = start(args);
        lastOutput = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", args)).isTrue();
        return p;
    }

    private static String listeningUrl(Process serve) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertThat(line).as("serve's first line").isNotNull();
        Matcher m = Pattern.compile("listening on (http://\\S+)").matcher(line);
        assertThat(m.find()).as(line).isTrue();
        return m.group(1);
    }

    private static void sql(Path file, String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    private static long count(Path file, String query) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> rows(Path file) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT id, body FROM note ORDER BY id")) {
            while (rs.next()) {
                out.add(rs.getLong(1) + "|" + rs.getString(2));
            }
        }
        return out;
    }
}
