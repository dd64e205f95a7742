package io.shuttlebridge.core.backup;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.MetaKeys;
import io.shuttlebridge.core.internal.dialect.Identifiers;
import io.shuttlebridge.core.internal.sync.DeviceStanding;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Online backups of SQLite databases, devices and hubs alike, while they are in use.
 *
 * <p>The copy is SQLite's {@code VACUUM INTO}: one read transaction, so the copy is the database as one
 * commit left it, and writers go on meanwhile (WAL mode); the copy is compact. It is written beside the
 * target under a temporary name, synced to disk and then renamed, so a backup interrupted half-way never
 * stands under the name asked for. The copy is marked as a backup ({@code _shuttle_meta}: its id and when
 * it was taken), never the database itself: a database restored from it tells its hub so on its next
 * sync, and gets back what it pushed after the backup was taken (DESIGN §6, {@code Standing}).
 *
 * <p>A PostgreSQL database is backed up with {@code pg_dump}, a MariaDB or MySQL one with {@code
 * mariadb-dump --single-transaction} ({@code mysqldump}), the {@code _shuttle_} tables and the capture triggers
 * included: {@link #sqlite} says how.
 */
public final class Backups {
    private Backups() {}

    /**
     * What a backup made.
     *
     * @param bytes the size of the backup file
     * @param backupId the id the backup is marked with (null when the database is not sync-enabled)
     * @param node the node uuid of the database backed up (null when it is not sync-enabled)
     */
    public record Result(Path file, long bytes, String backupId, Instant takenAt, String node, Duration took) {}

    /**
     * Copies the SQLite database at {@code pathOrUrl} (a file path or {@code jdbc:sqlite:} URL) into the
     * new file {@code out}, reporting progress in bytes written ({@code backup}).
     */
    public static Result sqlite(String pathOrUrl, Path out, ProgressListener progress) {
        return sqlite(pathOrUrl, out, progress, Instant.now(), UUID.randomUUID());
    }

    /**
     * {@link #sqlite(String, Path, ProgressListener)} marking the copy with the time and id given rather than
     * the system clock's and a random one: for a simulation on a clock of its own, which replays bit for bit.
     * The id must be new: a database restored from a backup is told from one restored from another by it.
     */
    public static Result sqlite(String pathOrUrl, Path out, ProgressListener progress, Instant takenAt, UUID backupId) {
        Objects.requireNonNull(takenAt, "takenAt");
        Objects.requireNonNull(backupId, "backupId");
        Path source = sourceFile(pathOrUrl);
        if (Files.exists(out)) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT, out + " exists already: give the backup a new file name");
        }
        Path dir = out.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new ShuttleException(
                    ErrorCode.NOT_FOUND, "no directory " + dir + " to write the backup " + out + " in");
        }
        Path partial = dir.resolve(out.getFileName() + ".partial");
        long start = System.nanoTime();
        try {
            Files.deleteIfExists(partial); // left by a backup interrupted before
            long total;
            String node;
            try (Connection c = open(source)) {
                total = Jdbc.queryLong(c, "SELECT page_count * page_size FROM pragma_page_count, pragma_page_size")
                        .orElse(-1L);
                node = hasMeta(c) ? MetaKeys.get(c, "node_uuid").orElse(null) : null;
                copy(c, partial, total, progress);
            }
            String id = node == null ? null : backupId.toString();
            if (id != null) {
                mark(partial, id, takenAt);
            }
            try (FileChannel ch = FileChannel.open(partial, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            move(partial, out);
            long bytes = Files.size(out);
            progress.progress("backup", bytes, bytes);
            return new Result(out, bytes, id, takenAt, node, Duration.ofNanos(System.nanoTime() - start));
        } catch (SQLException e) {
            deleteQuietly(partial);
            throw ShuttleException.database("backing up " + source + " into " + out, e);
        } catch (IOException e) {
            deleteQuietly(partial);
            throw new ShuttleException(
                    ErrorCode.INTERNAL, "backing up " + source + " into " + out + " failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteQuietly(partial);
            throw e;
        }
    }

    /** The database file, refused for a PostgreSQL, MariaDB or MySQL URL (with how to back one up) or a file that does not exist. */
    private static Path sourceFile(String pathOrUrl) {
        if (pathOrUrl == null || pathOrUrl.isBlank()) {
            throw new ShuttleException(ErrorCode.INVALID_ARGUMENT, "say which SQLite database to back up");
        }
        if (pathOrUrl.startsWith("jdbc:postgresql:")) {
            throw new ShuttleException(ErrorCode.INVALID_ARGUMENT, postgresAdvice(pathOrUrl));
        }
        if (pathOrUrl.startsWith("jdbc:mariadb:") || pathOrUrl.startsWith("jdbc:mysql:")) {
            throw new ShuttleException(ErrorCode.INVALID_ARGUMENT, MariaDbBackupAdvice.of(pathOrUrl));
        }
        if (pathOrUrl.startsWith("jdbc:") && !pathOrUrl.startsWith("jdbc:sqlite:")) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT,
                    "shuttle backup copies SQLite databases; back up " + Identifiers.redactUrl(pathOrUrl)
                            + " with its database's own tools, the _shuttle_ tables included");
        }
        String file = pathOrUrl.startsWith("jdbc:sqlite:") ? pathOrUrl.substring("jdbc:sqlite:".length()) : pathOrUrl;
        int query = file.indexOf('?');
        Path p = Path.of(query >= 0 ? file.substring(0, query) : file);
        if (!Files.isRegularFile(p)) {
            throw new ShuttleException(ErrorCode.NOT_FOUND, "no database file at " + p + " to back up");
        }
        return p;
    }

    /** How to back up (and restore) a PostgreSQL hub: pg_dump of the whole database, one line. */
    static String postgresAdvice(String jdbcUrl) {
        String target = Identifiers.redactUrl(jdbcUrl.substring("jdbc:".length()));
        int query = target.indexOf('?');
        if (query >= 0) {
            target = target.substring(0, query);
        }
        return "shuttle backup copies SQLite files; back up a PostgreSQL hub with pg_dump, the whole database with"
                + " its _shuttle_ tables (feed, tombstones, cursors, tickets, leases: a dump without them cannot"
                + " serve its devices): pg_dump --format=custom --file=hub.dump '" + target + "' (it reads one"
                + " consistent snapshot while the hub runs). Restore: stop the hub, pg_restore --clean --if-exists"
                + " --dbname='" + target + "' hub.dump, start it; devices that synced after the dump push again"
                + " what it lost (README, Backups and restores)";
    }

    private static Connection open(Path file) throws SQLException {
        Properties p = new Properties();
        p.setProperty("busy_timeout", "30000");
        return DriverManager.getConnection("jdbc:sqlite:" + file, p);
    }

    private static boolean hasMeta(Connection c) throws SQLException {
        return Jdbc.queryLong(c, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = '_shuttle_meta'")
                        .orElse(0L)
                > 0;
    }

    /** {@code VACUUM INTO}, with the bytes written so far reported while it runs. */
    private static void copy(Connection c, Path partial, long total, ProgressListener progress) throws SQLException {
        ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "shuttle-backup-progress");
            t.setDaemon(true);
            return t;
        });
        watch.scheduleAtFixedRate(
                () -> {
                    try {
                        if (Files.exists(partial)) {
                            long done = Files.size(partial);
                            progress.progress("backup", total > 0 ? Math.min(done, total) : done, total);
                        }
                    } catch (IOException | RuntimeException e) {
                        // progress only: the copy goes on
                    }
                },
                200,
                200,
                TimeUnit.MILLISECONDS);
        try (Statement s = c.createStatement()) {
            s.execute("VACUUM INTO " + Identifiers.literal(partial.toString()));
        } finally {
            watch.shutdownNow();
        }
    }

    /** Marks the copy as a backup: a database restored from it says so to its hub. */
    private static void mark(Path copy, String backupId, Instant takenAt) throws SQLException {
        try (Connection c = open(copy)) {
            c.setAutoCommit(false);
            for (var kv : new String[][] {
                {DeviceStanding.BACKUP_ID, backupId}, {DeviceStanding.BACKUP_TAKEN_AT, takenAt.toString()}
            }) {
                Jdbc.update(
                        c,
                        "INSERT INTO _shuttle_meta (key, value) VALUES (?, ?)"
                                + " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                        kv[0],
                        kv[1]);
            }
            c.commit();
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // nothing more to do: the name says it is partial
        }
    }
}
