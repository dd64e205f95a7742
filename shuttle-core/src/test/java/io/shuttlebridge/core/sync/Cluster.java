package io.shuttlebridge.core.sync;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.SqliteFiles;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.capture.CaptureOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A hub and devices on SQLite files with the same schema, connected in-process. */
public final class Cluster implements AutoCloseable {
    public static final String[] SCHEMA = {
        "CREATE TABLE customer (id INTEGER PRIMARY KEY, name TEXT, city TEXT, referred_by INTEGER REFERENCES customer(id))",
        "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customer(id), total INTEGER, note TEXT)",
    };

    public final Node hub;
    public final List<Node> devices = new ArrayList<>();

    public record Node(String name, Path file, ShuttleDatabase db, SyncEngine engine) {
        public void sql(String... statements) {
            SqliteFiles.exec(file, statements);
        }

        public List<Map<String, Object>> rows(String table) {
            return SqliteFiles.query(file, "SELECT * FROM " + table + " ORDER BY 1");
        }
    }

    public Cluster(
            Path dir, int deviceCount, ConflictPolicy policy, Map<String, ConflictResolver> resolvers, int pageSize) {
        hub = node(dir, "hub", policy, resolvers, pageSize);
        for (int i = 0; i < deviceCount; i++) {
            devices.add(node(dir, "device" + i, policy, resolvers, pageSize));
        }
    }

    public Cluster(Path dir, int deviceCount, ConflictPolicy policy) {
        this(dir, deviceCount, policy, Map.of(), 100);
    }

    private static Node node(
            Path dir, String name, ConflictPolicy policy, Map<String, ConflictResolver> resolvers, int pageSize) {
        Path f = dir.resolve(name + ".db");
        SqliteFiles.exec(f, SCHEMA);
        ShuttleDatabase db = ShuttleDatabase.sqlite(f);
        Capture.enable(db, CaptureOptions.builder().policy(policy).build(), ProgressListener.NONE);
        SyncEngine.Builder b = SyncEngine.builder(db).pageSize(pageSize);
        resolvers.forEach(b::resolver);
        return new Node(name, f, db, b.build());
    }

    public Node device(int i) {
        return devices.get(i);
    }

    public SyncReport sync(Node device) {
        return device.engine().pullThenPush(new InProcessTransport(hub.engine()));
    }

    /** Syncs every device until a full round changes nothing. */
    public void settle() {
        for (int round = 0; round < 20; round++) {
            int changed = 0;
            for (Node d : devices) {
                SyncReport r = sync(d);
                changed += r.applied() + r.pushed() + r.conflicts();
            }
            if (changed == 0) {
                return;
            }
        }
        throw new AssertionError("replicas did not settle in 20 rounds");
    }

    @Override
    public void close() {
        hub.db().close();
        devices.forEach(d -> d.db().close());
    }
}
