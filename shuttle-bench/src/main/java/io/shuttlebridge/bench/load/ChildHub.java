package io.shuttlebridge.bench.load;

import io.shuttlebridge.bench.hub.BenchHub;
import io.shuttlebridge.bench.hub.BenchPostgres;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A hub in a JVM of its own with a bounded heap ({@link HubProcess}, started from this JVM's class
 * path), over the benchmark's PostgreSQL database: its heap and RSS are the hub's alone.
 */
final class ChildHub implements LoadHub {
    /** More options for the hub's JVM, separated by spaces ({@code -XX:StartFlightRecording=...}). */
    static final String JAVA_OPTS = "SHUTTLE_BENCH_HUB_JAVA_OPTS";

    /** The hub process's standard error (its log), in the run's folder. */
    static final String LOG = "hub-stderr.log";

    private final Process process;
    private final BufferedReader answers;
    private final PrintWriter commands;
    private final URI url;
    private final String token;
    private final String heap;
    private final String where;
    private final Path log;
    private final int port;

    ChildHub(BenchPostgres pg, int maxBatch, int pool, String heap, Path dir) throws IOException, InterruptedException {
        byte[] secret = new byte[48];
        new SecureRandom().nextBytes(secret);
        Path secretFile = Files.createFile(
                dir.resolve("hub.secret"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(secretFile, secret);
        this.log = dir.resolve(LOG);
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap,
                "-XX:+ExitOnOutOfMemoryError"));
        String extra = System.getenv(JAVA_OPTS);
        if (extra != null && !extra.isBlank()) {
            cmd.addAll(List.of(extra.trim().split("\\s+"))); // a flight recording of the hub, say
        }
        cmd.addAll(List.of(
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                HubProcess.class.getName(),
                pg.url(),
                secretFile.toString(),
                Integer.toString(maxBatch),
                Integer.toString(pool)));
        this.process = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        this.url = URI.create(answer("READY"));
        this.token = BenchHub.token(secret);
        this.heap = heap;
        this.where = pg.where();
        this.port = pg.embeddedPort();
    }

    @Override
    public URI url() {
        return url;
    }

    @Override
    public String token() {
        return token;
    }

    @Override
    public String description() {
        return "HubServer in a JVM of its own (-Xmx" + heap + ", pid " + process.pid() + ") over " + where
                + ", HTTP + WebSocket on loopback";
    }

    @Override
    public String memoryAttribution() {
        return "the hub process alone: heap as its JVM reports it, RSS from /proc/" + process.pid() + "/status";
    }

    @Override
    public synchronized MemorySample memory(boolean collect) {
        if (!process.isAlive()) {
            return MemorySample.UNKNOWN;
        }
        commands.println(collect ? "MEM" : "PEEK");
        try {
            return MemorySample.parse(answer("MEM"));
        } catch (IOException e) {
            return MemorySample.UNKNOWN;
        }
    }

    @Override
    public int databasePort() {
        return port;
    }

    @Override
    public long cpuNanos() {
        return ProcessCpu.of(process.pid());
    }

    /** Whether the hub process is still running (it exits on running out of heap). */
    boolean alive() {
        return process.isAlive();
    }

    /** The rest of the line that starts with {@code tag}; fails with the hub's error output when it ends first. */
    private String answer(String tag) throws IOException {
        for (String line = answers.readLine(); line != null; line = answers.readLine()) {
            if (line.startsWith(tag + " ")) {
                return line.substring(tag.length() + 1).trim();
            }
        }
        throw new IOException("the hub process ended (exit " + exit() + "): " + tail());
    }

    private String exit() {
        try {
            return process.waitFor(5, TimeUnit.SECONDS) ? Integer.toString(process.exitValue()) : "none yet";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    /** The end of the hub's error output. */
    String tail() {
        try {
            String s = Files.readString(log);
            return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
        } catch (IOException e) {
            return "(no error output)";
        }
    }

    @Override
    public synchronized void close() throws InterruptedException {
        commands.println("STOP");
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
