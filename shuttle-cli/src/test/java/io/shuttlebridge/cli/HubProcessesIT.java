package io.shuttlebridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
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

/** The real {@code shuttle} jar as separate processes: serve a hub, clone two devices, sync plain-SQL writes between them. */
class HubProcessesIT {
    private static final Path JAR = Path.of("target", "shuttle.jar");

    @TempDir
    Path dir;

    @Test
    void serveCloneAndSyncAsSeparateProcesses() throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(JAR), "the shaded jar is built in the package phase");
        Path hubDb = dir.resolve("hub.db");
        sql(hubDb, "CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT NOT NULL, amount NUMERIC(10,2))",
                "INSERT INTO note VALUES (1, 'hello', 1.50)");
        assertThat(shuttle("init", "--db", hubDb.toString()).exitValue()).isZero();
        Process serve = start("serve", "--db", hubDb.toString(), "--port", "0", "--token", "tk", "--host", "127.0.0.1");
        try {
            String url = listeningUrl(serve);
            Path a = dir.resolve("a.db");
            Path b = dir.resolve("b.db");
            assertThat(shuttle("clone", "--hub", url, "--db", a.toString(), "--token", "tk").exitValue()).isZero();
            assertThat(shuttle("clone", "--hub", url, "--db", b.toString(), "--token", "tk").exitValue()).isZero();
            sql(a, "INSERT INTO note VALUES (2, 'from A', 2.25)");
            sql(b, "UPDATE note SET body = 'edited on B' WHERE id = 1");
            for (Path d : List.of(a, b, a)) {
                assertThat(shuttle("sync", "--db", d.toString(), "--token", "tk").exitValue()).isZero();
            }
            assertThat(rows(a)).containsExactly("1|edited on B|1.5", "2|from A|2.25").isEqualTo(rows(b)).isEqualTo(rows(hubDb));
            assertThat(shuttle("sync", "--db", a.toString(), "--token", "wrong").exitValue()).isEqualTo(1);
        } finally {
            serve.destroy(); // SIGTERM: graceful stop
            assertThat(serve.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    private Process start(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-jar", JAR.toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().put("SHUTTLE_NO_PROGRESS", "1");
        return pb.redirectError(dir.resolve("stderr-" + args[0] + ".log").toFile()).start();
    }

    private Process shuttle(String... args) throws Exception {
        Process p = start(args);
        p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", args)).isTrue();
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

    private static List<String> rows(Path file) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT id, body, amount FROM note ORDER BY id")) {
            while (rs.next()) {
                out.add(rs.getLong(1) + "|" + rs.getString(2) + "|" + rs.getObject(3));
            }
        }
        return out;
    }
}
