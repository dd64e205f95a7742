package io.shuttlebridge.core.simulate;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.capture.CaptureOptions;
import io.shuttlebridge.core.sync.ConflictResolver;
import io.shuttlebridge.core.sync.InProcessTransport;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.core.sync.SyncReport;
import io.shuttlebridge.core.sync.Transport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A hub and devices on SQLite files with the same schema and policy, connected in-process. */
public final class SimCluster implements AutoCloseable {
    /** The resolver of the CUSTOM policy in simulations: deterministic, the hub's row stands. */
    public static final ConflictResolver KEEP_LOCAL = (table, local, remote, base) -> new ConflictResolver.KeepLocal();

    public final Node hub;
    public final List<Node> devices = new ArrayList<>();
    private final List<String> tables;

    /** One replica: its file, its database handle and engines (one per page size, built on demand). */
    public static final class Node {
        private final String name;
        private final Path file;
        private final ShuttleDatabase db;
        private final Map<Integer, SyncEngine> engines = new HashMap<>();
        private final ConflictPolicy policy;
        private final SyncEngine.ApplyListener listener;
        private final List<String> tables;
        private java.sql.Connection plain;

        Node(String name, Path file, ShuttleDatabase db, ConflictPolicy policy, SyncEngine.ApplyListener listener, List<String> tables) {
            this.tables = tables;
            this.name = name;
            this.file = file;
            this.db = db;
            this.policy = policy;
            this.listener = listener;
        }

        public String name() {
            return name;
        }

        public Path file() {
            return file;
        }

        public ShuttleDatabase db() {
            return db;
        }

        public SyncEngine engine() {
            return engine(SyncEngine.DEFAULT_PAGE);
        }

        public SyncEngine engine(int pageSize) {
            return engines.computeIfAbsent(pageSize, n -> {
                SyncEngine.Builder b = SyncEngine.builder(db).pageSize(n).applyListener(listener);
                if (policy == ConflictPolicy.CUSTOM) {
                    tables.forEach(t -> b.resolver(t, KEEP_LOCAL));
                }
                return b.build();
            });
        }

        /** Runs statements as the application would (plain JDBC, foreign keys on). */
        public void sql(String... statements) {
            Sql.exec(plain(), file, statements);
        }

        /** Runs a query as the application would (plain JDBC); integers come back as {@code Long}. */
        public List<Map<String, Object>> query(String sql) {
            return Sql.query(plain(), file, sql);
        }

        public List<Map<String, Object>> rows(String table) {
            return query("SELECT * FROM " + table + " ORDER BY 1");
        }

        private java.sql.Connection plain() {
            if (plain == null) {
                plain = Sql.open(file);
            }
            return plain;
        }

        void close() {
            try {
                if (plain != null) {
                    plain.close();
                }
            } catch (java.sql.SQLException e) {
                throw new io.shuttlebridge.core.ShuttleException(io.shuttlebridge.core.ErrorCode.DATABASE,
                        "cannot close " + file + ": " + e.getMessage(), e);
            } finally {
                db.close();
            }
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * Creates {@code hub.db} and {@code device0.db}... in {@code dir} with the first {@code tableCount}
     * tables of {@link SimSchema}, capture enabled under {@code policy}; {@code listener} observes every
     * apply on every node (a crash is injected by throwing from it).
     */
    public SimCluster(Path dir, int deviceCount, int tableCount, ConflictPolicy policy, SyncEngine.ApplyListener listener) {
        this.tables = SimSchema.tables(tableCount);
        hub = node(dir, "hub", tableCount, policy, listener);
        for (int i = 0; i < deviceCount; i++) {
            devices.add(node(dir, "device" + i, tableCount, policy, listener));
        }
    }

    private static Node node(Path dir, String name, int tableCount, ConflictPolicy policy, SyncEngine.ApplyListener listener) {
        Path f = dir.resolve(name + ".db");
        Sql.exec(f, SimSchema.ddl(tableCount));
        ShuttleDatabase db = ShuttleDatabase.sqlite(f);
        Capture.enable(db, CaptureOptions.builder().policy(policy).build(), ProgressListener.NONE);
        return new Node(name, f, db, policy, listener, SimSchema.tables(tableCount));
    }

    public List<String> tables() {
        return tables;
    }

    public Node device(int i) {
        return devices.get(i);
    }

    public List<Node> all() {
        List<Node> out = new ArrayList<>();
        out.add(hub);
        out.addAll(devices);
        return out;
    }

    public Transport transport() {
        return new InProcessTransport(hub.engine());
    }

    public SyncReport sync(Node device) {
        return device.engine().pullThenPush(transport(), hub.engine().nodeUuid());
    }

    /**
     * Syncs every device, without faults, until a full round changes nothing; returns the rounds
     * it took, or -1 when it did not settle within {@code maxRounds}.
     */
    public int settle(int maxRounds) {
        for (int round = 1; round <= maxRounds; round++) {
            int changed = 0;
            for (Node d : devices) {
                SyncReport r = sync(d);
                changed += r.applied() + r.pushed() + r.conflicts();
            }
            if (changed == 0) {
                return round;
            }
        }
        return -1;
    }

    @Override
    public void close() {
        all().forEach(Node::close);
    }
}
