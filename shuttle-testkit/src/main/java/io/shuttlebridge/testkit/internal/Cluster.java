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
import java.util.function.Supplier;

/**
 * A hub and devices with the same schema and policies. Devices are SQLite files; the hub and the
 * way devices reach it come from a {@link HubSite}. Every node is made by {@link #open}: the one
 * place where a node gets its database, its tables, its identity and its clock (its own, by its name).
 * Devices come and go while it runs: new ones ({@link #addDevice}), copies of one's file ({@link
 * #copyDevice}), lost ones ({@link #removeDevice}); the hub may be restored from a backup.
 */
public final class Cluster implements AutoCloseable {
    private final ClusterSpec spec;
    private final List<Node> all = new ArrayList<>();
    private final List<DeviceNode> devices = new ArrayList<>();
    /** Every device ever made, those gone included: their files stay in the folder. */
    private final List<DeviceNode> made = new ArrayList<>();

    private final Node hub;
    private Transport transport;
    private int nextDevice;
    private boolean closed;
    private boolean followSchema;
    private Runnable hubRestored = () -> {};

    public Cluster(ClusterSpec spec) {
        this.spec = spec;
        try {
            hub = open("hub", ShuttleDatabase.toJdbcUrl(spec.site().database(spec.dir())), null, true);
            for (int i = 0; i < spec.devices(); i++) {
                addDevice();
            }
            transport = spec.site().connect(hub.engine());
        } catch (RuntimeException | Error e) {
            closeAll(e);
            throw e;
        }
    }

    /** A new device: a new file {@code deviceN.db} with the schema, sync enabled under a new identity; not synced yet. */
    public DeviceNode addDevice() {
        return device(true);
    }

    /**
     * A copy of {@code from}'s file taken to a second machine, as a copy of the file at rest makes it: a new
     * device of the cluster ({@code deviceN.db}) with the same node identity, not marked as a backup.
     */
    public DeviceNode copyDevice(DeviceNode from) {
        Sql.vacuumInto(from.file(), spec.dir().resolve("device" + nextDevice + ".db"));
        return device(false);
    }

    private DeviceNode device(boolean create) {
        String name = "device" + nextDevice++;
        String file = spec.dir().resolve(name + ".db").toString();
        DeviceNode d = (DeviceNode) open(
                name,
                ShuttleDatabase.toJdbcUrl(file),
                (n, via) -> sync(n, via == null ? transport() : via, SyncEngine.DEFAULT_PAGE),
                create);
        devices.add(d);
        made.add(d);
        return d;
    }

    /** Takes {@code device} out of the cluster for good (lost, or gone silent): closed, its file left in the folder. */
    public void removeDevice(DeviceNode device) {
        if (!devices.remove(device)) {
            throw new IllegalArgumentException(device + " is not a device of the cluster");
        }
        all.remove(device);
        device.close();
    }

    /**
     * Restores the hub from {@code backup}: its server stopped, its file replaced, then opened and served
     * again (through a new {@link #transport()}).
     */
    public void restoreHub(Path backup) {
        spec.site().stopServer();
        hub.replaceWith(backup);
        hubRestored.run();
        transport = spec.site().connect(hub.engine());
    }

    /** Runs {@code then} after each restore of the hub's file, before it is served again (migrations run again). */
    public void onHubRestored(Runnable then) {
        hubRestored = then;
    }

    /**
     * Every node, and every one made from now on, takes the changes of its own tables before each use of
     * its engines ({@link Node#followSchema()}): for runs whose schemas change.
     */
    public void followSchema() {
        followSchema = true;
        all.forEach(Node::followSchema);
    }

    /** Opens a node's database, with the schema created and capture enabled when {@code create}, and keeps the node. */
    private Node open(String name, String url, BiFunction<Node, Transport, SyncReport> sync, boolean create) {
        ShuttleDatabase db =
                ShuttleDatabase.open(url, new Properties(), spec.time().connections(name));
        Node.Setup setup = new Node.Setup(
                spec.resolvers(),
                spec.listener(),
                spec.time().clock(name),
                spec.time().connections(name),
                spec.engines());
        Node n = sync == null ? new Node(name, url, db, setup) : new DeviceNode(name, url, db, setup, sync);
        if (followSchema) {
            n.followSchema();
        }
        all.add(n);
        if (!create) {
            return n;
        }
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

    /** The hub, then every device in the cluster now. */
    public List<Node> all() {
        return List.copyOf(all);
    }

    /** Where the cluster draws node identities (the hub's and new devices', in the order they are made). */
    public Supplier<UUID> nodeIds() {
        return spec.nodeIds();
    }

    /** The folder of the nodes' files. */
    public Path dir() {
        return spec.dir();
    }

    public List<String> tables() {
        return spec.schema().tables();
    }

    /** How devices reach the hub (one transport until the hub is restored). */
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
        return settle(maxRounds, beforeEachSync, this::sync);
    }

    /** {@link #settle(int, Runnable)}, each device synced by {@code sync}. */
    public int settle(
            int maxRounds, Runnable beforeEachSync, java.util.function.Function<DeviceNode, SyncReport> sync) {
        for (int round = 1; round <= maxRounds; round++) {
            int changed = 0;
            for (DeviceNode d : List.copyOf(devices)) {
                beforeEachSync.run();
                SyncReport r = sync.apply(d);
                changed += r.applied() + r.pushed() + r.conflicts();
            }
            if (changed == 0) {
                return round;
            }
        }
        return -1;
    }

    /** The SQLite files of the nodes (the hub's when it is one), the hub first, then every device ever made. */
    public List<Path> sqliteFiles() {
        String prefix = "jdbc:sqlite:";
        List<Node> nodes = new ArrayList<>();
        nodes.add(hub);
        nodes.addAll(made);
        return nodes.stream()
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
