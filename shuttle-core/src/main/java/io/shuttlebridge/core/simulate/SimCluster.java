package io.shuttlebridge.core.simulate;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.capture.CaptureOptions;
import io.shuttlebridge.core.sync.ConflictResolver;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.core.sync.SyncReport;
import io.shuttlebridge.core.sync.Transport;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A hub and devices with the same schema and policy. Devices are SQLite files; the hub and the way
 * devices reach it come from a {@link SimHub} (by default a SQLite file reached in-process).
 */
public final class SimCluster implements AutoCloseable {
    /** The resolver of the CUSTOM policy in simulations: deterministic, the hub's row stands. */
    public static final ConflictResolver KEEP_LOCAL = (table, local, remote, base) -> new ConflictResolver.KeepLocal();

    public final Node hub;
    public final List<Node> devices = new ArrayList<>();
    private final List<String> tables;
    private final SimHub site;
    private final Transport transport;

    /** One replica: its database (a JDBC URL), its database handle and engines (one per page size, built on demand). */
    public static final class Node {
        private final String name;
        private final String url;
        private final ShuttleDatabase db;
        private final Map<Integer, SyncEngine> engines = new HashMap<>();
        private final ConflictPolicy policy;
        private final SyncEngine.ApplyListener listener;
        private final List<String> tables;
        private Connection plain;

        Node(
                String name,
                String url,
                ShuttleDatabase db,
                ConflictPolicy policy,
                SyncEngine.ApplyListener listener,
                List<String> tables) {
            this.tables = tables;
            this.name = name;
            this.url = url;
            this.db = db;
            this.policy = policy;
            this.listener = listener;
        }

        public String name() {
            return name;
        }

        /** The JDBC URL of the node's database. */
        public String url() {
            return url;
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
            Sql.exec(plain(), name, statements);
        }

        /** Runs a query as the application would (plain JDBC); integers come back as {@code Long}. */
        public List<Map<String, Object>> query(String sql) {
            return Sql.query(plain(), name, sql);
        }

        public List<Map<String, Object>> rows(String table) {
            return query("SELECT * FROM " + table + " ORDER BY 1");
        }

        private Connection plain() {
            if (plain == null) {
                plain = Sql.open(url, name);
            }
            return plain;
        }

        void close() {
            try {
                if (plain != null) {
                    plain.close();
                }
            } catch (SQLException e) {
                throw new ShuttleException(ErrorCode.DATABASE, "cannot close " + name + ": " + e.getMessage(), e);
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
    public SimCluster(
            Path dir, int deviceCount, int tableCount, ConflictPolicy policy, SyncEngine.ApplyListener listener) {
        this(dir, deviceCount, tableCount, policy, listener, SimHub.sqlite());
    }

    /**
     * Like {@link #SimCluster(Path, int, int, ConflictPolicy, SyncEngine.ApplyListener)} with the hub's
     * database and transport from {@code site}, which the cluster closes.
     */
    public SimCluster(
            Path dir,
            int deviceCount,
            int tableCount,
            ConflictPolicy policy,
            SyncEngine.ApplyListener listener,
            SimHub site) {
        this.tables = SimSchema.tables(tableCount);
        this.site = site;
        List<Node> made = new ArrayList<>();
        try {
            hub = node("hub", ShuttleDatabase.toJdbcUrl(site.database(dir)), tableCount, policy, listener);
            made.add(hub);
            for (int i = 0; i < deviceCount; i++) {
                Node d = node(
                        "device" + i,
                        ShuttleDatabase.toJdbcUrl(
                                dir.resolve("device" + i + ".db").toString()),
                        tableCount,
                        policy,
                        listener);
                made.add(d);
                devices.add(d);
            }
            transport = site.connect(hub.engine());
        } catch (RuntimeException | Error e) {
            closeAll(site, made, e);
            throw e;
        }
    }

    private static Node node(
            String name, String url, int tableCount, ConflictPolicy policy, SyncEngine.ApplyListener listener) {
        ShuttleDatabase db = ShuttleDatabase.open(url);
        Node n = new Node(name, url, db, policy, listener, SimSchema.tables(tableCount));
        try {
            n.sql(SimSchema.ddl(tableCount, db.dialect().name()));
            Capture.enable(db, CaptureOptions.builder().policy(policy).build(), ProgressListener.NONE);
        } catch (RuntimeException | Error e) {
            n.close();
            throw e;
        }
        return n;
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

    /** How devices reach the hub (one transport for the cluster's life). */
    public Transport transport() {
        return transport;
    }

    public SyncReport sync(Node device) {
        return device.engine().pullThenPush(transport());
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

    /** Closes the hub's site (its server stops first) and then every node. */
    @Override
    public void close() {
        closeAll(site, all(), null);
    }

    private static void closeAll(SimHub site, List<Node> nodes, Throwable pending) {
        Throwable first = pending;
        try {
            site.close();
        } catch (Exception e) {
            first = add(first, e);
        }
        for (Node n : nodes) {
            try {
                n.close();
            } catch (RuntimeException e) {
                first = add(first, e);
            }
        }
        if (pending == null && first != null) {
            if (first instanceof RuntimeException r) {
                throw r;
            }
            throw new ShuttleException(
                    ErrorCode.INTERNAL, "cannot close the simulated hub: " + first.getMessage(), first);
        }
    }

    private static Throwable add(Throwable first, Throwable next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }
}
