package io.shuttlebridge.testkit.internal;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.backup.Backups;
import io.shuttlebridge.core.id.MillisClock;
import io.shuttlebridge.core.sync.NodeReset;
import io.shuttlebridge.testkit.Fault;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * The restore faults of a simulation ({@link Fault#RESTORE}, {@link Fault#COPY}, {@link Fault#HUB_RESTORE})
 * and what they take: backups of devices and of the hub made now and then with {@code shuttle backup}'s
 * code ({@link Backups#sqlite}), a device restored from one of its own, a device's file copied to a new
 * device, the hub restored from one of its own. After each the history takes out the writes that exist
 * nowhere any more ({@link History#retractLost}); the oracle is otherwise unchanged. A device the hub
 * refuses as a copy ({@link ErrorCode#NODE_COPIED}) takes a new identity ({@link NodeReset}), as {@code
 * shuttle node reset} does, when it is one of two databases syncing as one node; any other such refusal is
 * a failure. Every choice comes from the simulation's {@link Random}, every time from its clock.
 */
public final class Restores {
    /** One backup file, and how often it was restored. */
    private static final class Backup {
        final Path file;
        int restores;

        Backup(Path file) {
            this.file = file;
        }
    }

    private final Cluster cluster;
    private final Faults faults;
    private final History history;
    private final MillisClock clock;
    private final Random random;
    private final int maxDevices;
    private final Path folder;
    private final Map<Node, List<Backup>> backups = new LinkedHashMap<>();
    /** Devices whose last restore was from a backup restored before: the hub takes them for a copy. */
    private final Set<Node> restoredTwice = new HashSet<>();
    /** Node identities two devices have held at once (a copy's): any database holding one may be refused. */
    private final Set<String> shared = new HashSet<>();

    private final List<String> log = new ArrayList<>();
    private int made;

    /**
     * @param maxDevices copies stop once the cluster has this many devices
     */
    public Restores(Cluster cluster, Faults faults, History history, MillisClock clock, Random random, int maxDevices) {
        this.cluster = cluster;
        this.faults = faults;
        this.history = history;
        this.clock = clock;
        this.random = random;
        this.maxDevices = maxDevices;
        this.folder = cluster.dir().resolve("backups");
    }

    /** A step of the schedule: now and then a backup is taken, and a restore or copy fault injected. */
    public void step(int step) {
        List<DeviceNode> devices = cluster.devices();
        if (faults.chance(Fault.RESTORE, 6)) {
            backup(devices.get(random.nextInt(devices.size())));
        }
        if (faults.chance(Fault.HUB_RESTORE, 10)) {
            backup(cluster.hub());
        }
        List<DeviceNode> restorable =
                devices.stream().filter(d -> backups.containsKey(d)).toList();
        if (!restorable.isEmpty() && faults.inject(Fault.RESTORE, 25)) {
            DeviceNode d = restorable.get(random.nextInt(restorable.size()));
            List<Backup> own = backups.get(d);
            Backup b = own.get(random.nextInt(own.size()));
            if (b.restores++ > 0) {
                restoredTwice.add(d);
            } else {
                restoredTwice.remove(d);
            }
            d.replaceWith(b.file);
            history.replaced(d);
            int gone = history.retractLost(cluster.hub(), cluster.devices());
            log.add("step " + step + ": " + d + " restored from " + b.file.getFileName() + " (" + gone
                    + " write(s) gone with what it held)");
        }
        if (devices.size() < maxDevices && faults.inject(Fault.COPY, 40)) {
            DeviceNode from = devices.get(random.nextInt(devices.size()));
            shared.add(from.nodeUuid());
            DeviceNode copy = cluster.copyDevice(from);
            history.replaced(copy);
            log.add("step " + step + ": " + from + " copied to " + copy);
        }
        List<Backup> hubBackups = backups.get(cluster.hub());
        // not while two devices sync as one node: a hub restore then can leave a write that one of them pushed
        // before it was found to be a copy out of the other's reach (README, Limits)
        if (hubBackups != null && !hubBackups.isEmpty() && !twins() && faults.inject(Fault.HUB_RESTORE, 40)) {
            Backup b = hubBackups.get(random.nextInt(hubBackups.size()));
            b.restores++;
            // the backups taken after this one are of a history the restore leaves: restoring one of them later
            // would go back to another branch of the hub's history (README, Limits)
            hubBackups.subList(hubBackups.indexOf(b) + 1, hubBackups.size()).clear();
            cluster.restoreHub(b.file);
            history.replaced(cluster.hub());
            int gone = history.retractLost(cluster.hub(), cluster.devices());
            log.add("step " + step + ": hub restored from " + b.file.getFileName() + " (" + gone
                    + " write(s) gone with what it held)");
        }
    }

    /**
     * When the hub refused {@code device} as a copy: whether that was to be expected (its node identity was
     * held by two devices at once since a copy was made, or the device was restored from a backup restored
     * before), in which case the device takes a new identity, as {@code shuttle node reset} gives it; false,
     * changing nothing, when it was not.
     */
    public boolean refusedAsCopy(DeviceNode device) {
        if (!shared.contains(device.nodeUuid()) && !restoredTwice.contains(device)) {
            return false;
        }
        UUID fresh = cluster.nodeIds().get();
        NodeReset.Result r = NodeReset.run(device.database(), fresh == null ? UUID.randomUUID() : fresh);
        device.forgetEngines();
        restoredTwice.remove(device);
        history.renamed(device);
        history.retractLost(cluster.hub(), cluster.devices());
        log.add(device + " refused as a copy of node " + r.oldNode() + ": reset to " + r.newNode() + ", " + r.unpushed()
                + " unpushed write(s) kept");
        return true;
    }

    /** Whether two devices of the cluster hold the same node identity now (a copy, not found yet). */
    private boolean twins() {
        Set<String> seen = new HashSet<>();
        return !cluster.devices().stream().allMatch(d -> seen.add(d.nodeUuid()));
    }

    /** What happened, one line per restore, copy and reset. */
    public List<String> log() {
        return List.copyOf(log);
    }

    private void backup(Node node) {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path out = folder.resolve(node.name() + "-" + (++made) + ".db");
        UUID id = new UUID(random.nextLong(), random.nextLong());
        try {
            Backups.sqlite(node.file().toString(), out, ProgressListener.NONE, clock.instant(), id);
        } catch (ShuttleException e) {
            throw new ShuttleException(e.code(), "backing up " + node + ": " + e.getMessage(), e);
        }
        backups.computeIfAbsent(node, n -> new ArrayList<>()).add(new Backup(out));
    }
}
