package io.shuttlebridge.core.sync;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.Postgres;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.SqliteFiles;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.capture.CaptureOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A hub (a SQLite file or a PostgreSQL database) and devices on SQLite files, synced in-process, each of
 * which can be closed, copied, put back from a copy and opened again, as an operator does with backups.
 * Every database has the table {@code note (id, body)}.
 */
final class Replicas implements AutoCloseable {
    private final Path dir;
    private final ConflictPolicy policy;
    private String hubUrl;
    private ShuttleDatabase hubDb;
    private SyncEngine hub;
    private final Map<String, ShuttleDatabase> devices = new LinkedHashMap<>();
    private final Map<String, SyncEngine> engines = new LinkedHashMap<>();

    private Replicas(Path dir, ConflictPolicy policy, String hubUrl) {
        this.dir = dir;
        this.policy = policy;
        this.hubUrl = hubUrl;
        this.hubDb = ShuttleDatabase.open(hubUrl);
        Capture.enable(hubDb, CaptureOptions.builder().policy(policy).build(), ProgressListener.NONE);
        this.hub = SyncEngine.open(hubDb);
    }

    static Replicas sqliteHub(Path dir, ConflictPolicy policy) {
        Path f = dir.resolve("hub.db");
        SqliteFiles.exec(f, "CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)");
        return new Replicas(dir, policy, f.toString());
    }

    static Replicas postgresHub(Path dir, ConflictPolicy policy) {
        String url = Postgres.freshDatabase();
        Postgres.exec(url, "CREATE TABLE note (id bigint PRIMARY KEY, body text)");
        return new Replicas(dir, policy, url);
    }

    Path file(String device) {
        return dir.resolve(device + ".db");
    }

    /** A new device with the hub's table, not synced yet. */
    void addDevice(String name) {
        SqliteFiles.exec(file(name), "CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)");
        ShuttleDatabase db = ShuttleDatabase.sqlite(file(name));
        Capture.enable(db, CaptureOptions.builder().policy(policy).build(), ProgressListener.NONE);
        devices.put(name, db);
    }

    ShuttleDatabase db(String device) {
        return devices.get(device);
    }

    SyncEngine engine(String device) {
        return engines.computeIfAbsent(device, d -> SyncEngine.open(devices.get(d)));
    }

    /** Forgets the device's engine: the next sync opens one on its database as it is now (a new identity, say). */
    void reopenEngine(String device) {
        engines.remove(device);
    }

    SyncEngine hub() {
        return hub;
    }

    ShuttleDatabase hubDb() {
        return hubDb;
    }

    String hubUrl() {
        return hubUrl;
    }

    SyncReport sync(String device) {
        return engine(device).pullThenPush(new InProcessTransport(hub));
    }

    void write(String device, String... sql) {
        for (String s : sql) {
            devices.get(device).execute(s);
        }
    }

    List<String> notes(String device) {
        return notes(devices.get(device));
    }

    List<String> hubNotes() {
        return notes(hubDb);
    }

    static List<String> notes(ShuttleDatabase db) {
        return db.read(c -> {
            List<String> out = new java.util.ArrayList<>();
            try (var st = c.createStatement();
                    var rs = st.executeQuery("SELECT id, body FROM note ORDER BY id")) {
                while (rs.next()) {
                    out.add(rs.getLong(1) + "|" + rs.getString(2));
                }
            }
            return out;
        });
    }

    /** Closes a device's database (as its app stops). */
    void stop(String device) {
        engines.remove(device);
        devices.get(device).close();
    }

    /** Opens a stopped device's database again (its file may have been replaced meanwhile). */
    void start(String device) {
        devices.put(device, ShuttleDatabase.sqlite(file(device)));
    }

    /** Puts {@code backup} in place of a stopped device's file, as a restore does: the WAL of the old file goes. */
    void restore(String device, Path backup) {
        replaceFile(backup, file(device));
    }

    /** Copies a stopped device's file to a new device, as one copies a file to a second machine. */
    void copy(String device, String copy) {
        try {
            Files.copy(file(device), file(copy));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        devices.put(copy, ShuttleDatabase.sqlite(file(copy)));
    }

    /** Stops the hub, runs {@code between} (on the stopped hub), and opens it again at {@code url}. */
    void restartHub(String url, Runnable between) {
        hubDb.close();
        between.run();
        hubUrl = url;
        hubDb = ShuttleDatabase.open(url);
        hub = SyncEngine.open(hubDb);
    }

    static void replaceFile(Path from, Path to) {
        try {
            Files.deleteIfExists(Path.of(to + "-wal"));
            Files.deleteIfExists(Path.of(to + "-shm"));
            Files.copy(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        devices.values().forEach(ShuttleDatabase::close);
        hubDb.close();
    }
}
