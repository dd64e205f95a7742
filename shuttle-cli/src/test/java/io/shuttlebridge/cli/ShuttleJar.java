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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The real shuttle jar as a separate process, and plain-SQL access to the databases it works on (SQLite files or JDBC URLs). */
final class ShuttleJar {
    static final Path JAR = Path.of("target", "shuttle.jar");
    private static final AtomicInteger RUNS = new AtomicInteger();

    private ShuttleJar() {}

    record Result(int code, String out, String err) {}

    /** Starts {@code shuttle ARGS} in {@code dir}, progress off, its stderr appended to {@code dir/stderr-COMMAND.log}. */
    static Process start(Path dir, String... args) throws Exception {
        return start(dir, Map.of(), args);
    }

    /** {@link #start(Path, String...)} with more environment variables. */
    static Process start(Path dir, Map<String, String> env, String... args) throws Exception {
        return builder(dir, env, args)
                .redirectError(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("stderr-" + args[0] + ".log").toFile()))
                .start();
    }

    /** Runs {@code shuttle ARGS} in {@code dir} to the end and returns its exit code, stdout and stderr. */
    static Result run(Path dir, String... args) throws Exception {
        return run(dir, Map.of(), args);
    }

    /** {@link #run(Path, String...)} with more environment variables. */
    static Result run(Path dir, Map<String, String> env, String... args) throws Exception {
        Path err = dir.resolve("stderr-run-" + RUNS.incrementAndGet() + ".log");
        Process p = builder(dir, env, args).redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", args)).isTrue();
        return new Result(p.exitValue(), out, Files.readString(err));
    }

    private static ProcessBuilder builder(Path dir, Map<String, String> env, String... args) {
        assertThat(JAR).as("run after 'package': the fat jar").exists();
        List<String> cmd = new ArrayList<>(List.of(java(), "--enable-native-access=ALL-UNNAMED"));
        cmd.addAll(AotCache.OPTIONS);
        cmd.addAll(List.of("-jar", JAR.toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().put("SHUTTLE_NO_PROGRESS", "1");
        pb.environment().putAll(env);
        return pb;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * The jar's ahead-of-time cache (JDK 25 and later), made once per build by a run of {@code shuttle demo}
     * as the {@code shuttle} launcher makes its own: the hundreds of processes these tests start each start
     * faster with it. Without it (an older JDK, a training run that failed) they start as before.
     */
    private static final class AotCache {
        static final List<String> OPTIONS = options();

        private static List<String> options() {
            if (Runtime.version().feature() < 25 || !Files.isRegularFile(JAR)) {
                return List.of();
            }
            Path jar = JAR.toAbsolutePath();
            Path cache = jar.resolveSibling("shuttle-it.aot");
            try {
                if (!Files.isRegularFile(cache)
                        || Files.getLastModifiedTime(cache).compareTo(Files.getLastModifiedTime(jar)) < 0) {
                    Path made = jar.resolveSibling(
                            "shuttle-it.aot." + ProcessHandle.current().pid());
                    Path work = Files.createTempDirectory("shuttle-aot");
                    Process p = new ProcessBuilder(
                                    java(),
                                    "--enable-native-access=ALL-UNNAMED",
                                    "-XX:AOTCacheOutput=" + made,
                                    "-jar",
                                    jar.toString(),
                                    "demo")
                            .directory(work.toFile())
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .start();
                    if (!p.waitFor(180, TimeUnit.SECONDS) || p.exitValue() != 0 || !Files.isRegularFile(made)) {
                        p.destroyForcibly();
                        Files.deleteIfExists(made);
                        return List.of();
                    }
                    Files.move(made, cache, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
                return List.of("-XX:AOTCache=" + cache, "-Xlog:aot=off");
            } catch (java.io.IOException e) {
                return List.of();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
        }
    }

    /** The address a started {@code shuttle serve} prints on its first line. */
    static String listeningUrl(Process serve) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertThat(line).as("serve's first line").isNotNull();
        Matcher m = Pattern.compile("listening on (https?://\\S+)").matcher(line);
        assertThat(m.find()).as(line).isTrue();
        return m.group(1);
    }

    static void sql(Path file, String... statements) throws Exception {
        sql(sqlite(file), statements);
    }

    /** Runs statements on a plain connection to a JDBC URL, as {@code sqlite3} or {@code psql} would. */
    static void sql(String url, String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection(url);
                Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    /** Each row of a query as its values joined by {@code |}. */
    static List<String> rows(Path file, String query) throws Exception {
        return rows(sqlite(file), query);
    }

    /** Each row of a query on a JDBC URL as its values joined by {@code |}. */
    static List<String> rows(String url, String query) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(query)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> values = new ArrayList<>(n);
                for (int i = 1; i <= n; i++) {
                    values.add(String.valueOf(rs.getObject(i)));
                }
                out.add(String.join("|", values));
            }
        }
        return out;
    }

    static long count(Path file, String query) throws Exception {
        return count(sqlite(file), query);
    }

    static long count(String url, String query) throws Exception {
        try (Connection c = DriverManager.getConnection(url);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String sqlite(Path file) {
        return "jdbc:sqlite:" + file;
    }
}
