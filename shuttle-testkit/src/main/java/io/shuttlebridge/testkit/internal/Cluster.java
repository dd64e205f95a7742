package io.shuttlebridge.testkit.internal;

import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.capture.CaptureOptions;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.core.sync.SyncReport;
import io.shuttlebridge.core.sync.Transport;
import io.shuttlebridge.testkit.TestSchema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * A hub and devices with the same schema and policies. Devices are SQLite files; the hub and the
 * way devices reach it come from a {@link HubSite}. Every node is made by {@link #open}: the one
 * place where a node gets its database, its tables, its identity and its clock (its own, by its name).
 */
public final class Cluster implements AutoCloseable {
    private final ClusterSpec spec;
    private final List<Node> all = new ArrayList<>();
    private final List<DeviceNode> devices = new ArrayList<>();
    private final Node hub;
    private final Transport transport;
    private boolean closed;

    public Cluster(ClusterSpec spec) {
        this.spec = spec;
        try {
            hub = open("hub", ShuttleDatabase.toJdbcUrl(spec.site().database(spec.dir())), null);
            for (int i = 0; i < spec.devices(); i++) {
                String file = spec.dir().resolve("device" + i + ".db").toString();
                devices.add((DeviceNode) open(
                        "device" + i,
                        ShuttleDatabase.toJdbcUrl(file),
                        (d, via) -> sync(d, via == null ? transport() : via, SyncEngine.DEFAULT_PAGE)));
            }
            transport = spec.site().connect(hub.engine());
        } catch (RuntimeException | Error e) {
            closeAll(e);
            throw e;
        }
    }

    /** Creates the schema in a new database, enables capture, and keeps the node. */
    private Node open(String name, String url, BiFunction<Node, Transport, SyncReport> sync) {
        ShuttleDatabase db =
                ShuttleDatabase.open(url, new Properties(), spec.time().connections(name));
        Node.Setup setup = new Node.Setup(
                spec.resolvers(),
                spec.listener(),
                spec.time().clock(name),
                spec.time().connections(name));
        Node n = sync == null ? new Node(name, url, db, setup) : new DeviceNode(name, url, db, setup, sync);
        all.add(n);
        createTables(db, spec.schema());
        UUID id = spec.nodeIds().get();
        CaptureOptions capture = id == null
                ? spec.capture()
                : spec.capture().toBuilder().nodeUuid(id).build();
        Capture.enable(db, capture, ProgressListener.NONE);
        return n;
    }

    /** Creates {@code schema}'s tables in {@code db} (its PostgreSQL statements on PostgreSQL). */
    static void createTables(ShuttleDatabase db, TestSchema schema) {
        boolean postgres = Dialects.of(db).name().equals("postgresql");
        List<String> ddl = postgres ? schema.postgresStatements() : schema.statements();
        db.transaction(c -> {
            SchemaModel.create(
                    c,
                    schema.source() + (postgres ? " (PostgreSQL hub)" : ""),
                    ddl.stream().map(s -> new DdlScript.Statement(0, s)).toList());
            return null;
        });
    }

    public Node hub() {
        return hub;
    }

    public DeviceNode device(int i) {
        return devices.get(i);
    }

    public List<DeviceNode> devices() {
        return List.copyOf(devices);
    }

    /** The hub, then every device. */
    public List<Node> all() {
        return List.copyOf(all);
    }

    public List<String> tables() {
        return spec.schema().tables();
    }

    /** How devices reach the hub (one transport for the cluster's life). */
    public Transport transport() {
        return transport;
    }

    /** One pull-then-push of {@code device} with the hub through {@code via}, {@code pageSize} changes at a time. */
    public SyncReport sync(Node device, Transport via, int pageSize) {
        return device.engine(pageSize).pullThenPush(via);
    }

    public SyncReport sync(Node device) {
        return sync(device, transport, SyncEngine.DEFAULT_PAGE);
    }

    /**
     * Syncs every device in turn until a full round changes nothing; returns the rounds it took,
     * or -1 when it did not settle within {@code maxRounds}.
     */
    public int settle(int maxRounds) {
        return settle(maxRounds, () -> {});
    }

    /** {@link #settle(int)}, running {@code beforeEachSync} before each device's sync (to move a simulated clock). */
    public int settle(int maxRounds, Runnable beforeEachSync) {
        for (int round = 1; round <= maxRounds; round++) {
            int changed = 0;
            for (Node d : devices) {
                beforeEachSync.run();
                SyncReport r = sync(d);
                changed += r.applied() + r.pushed() + r.conflicts();
            }
            if (changed == 0) {
                return round;
            }
        }
        return -1;
    }

    /** The SQLite files of the nodes (the hub's when it is one), the hub first. */
    public List<Path> sqliteFiles() {
        String prefix = "jdbc:sqlite:";
        return all.stream()
                .map(Node::url)
                .filter(u -> u.startsWith(prefix))
                .map(u -> Path.of(u.substring(prefix.length())))
                .toList();
    }

    /** Stops the hub's server, closes every node, then releases the hub's database; once. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            closeAll(null);
        }
    }

    private void closeAll(Throwable pending) {
        Throwable first = pending;
        try {
            spec.site().stopServer();
        } catch (RuntimeException e) {
            first = add(first, e);
        }
        for (Node n : all) {
            try {
                n.close();
            } catch (RuntimeException e) {
                first = add(first, e);
            }
        }
        try {
            spec.site().close();
        } catch (RuntimeException e) {
            first = add(first, e);
        }
        if (pending == null && first instanceof RuntimeException e) {
            throw e; // only closing failed
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
