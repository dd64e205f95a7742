package io.shuttlebridge.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shuttlebridge.client.ClockOffset;
import io.shuttlebridge.client.internal.DeviceMeta;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.sync.EngineAccess;
import io.shuttlebridge.core.sync.PeerCursor;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.server.internal.NodeBindings;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code shuttle status}: node identity, synced tables, peers and cursors, pending changes, open conflicts. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description =
                "Node identity, synced tables, peers with cursors and last sync, pending local changes, open conflicts.")
public final class StatusCommand implements Callable<Integer> {
    @Mixin
    DbOption db;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (ShuttleDatabase d = db.openExisting()) {
            SyncEngine engine = SyncEngine.open(d);
            Collection<SyncedTable> synced =
                    EngineAccess.context(engine).schema().tables();
            List<PeerCursor> peers = engine.peers();
            long pendingAll = engine.pendingChanges(null);
            int openConflicts = engine.conflicts(true).size();
            long waiting = engine.waitingChanges();
            int rejected = engine.rejectedWrites(true).size();
            List<NodeBindings.Writer> writers = NodeBindings.writers(d);
            String hubUrl = DeviceMeta.get(d, DeviceMeta.HUB_URL).orElse(null);
            Optional<Long> clockOffset =
                    DeviceMeta.get(d, DeviceMeta.CLOCK_OFFSET).map(Long::parseLong);
            if (json) {
                ObjectMapper m = new ObjectMapper();
                ObjectNode o = m.createObjectNode();
                o.put("db", d.displayUrl());
                o.put("nodeUuid", engine.nodeUuid());
                o.put("hub", hubUrl);
                ArrayNode tables = o.putArray("tables");
                for (SyncedTable t : synced) {
                    tables.addObject()
                            .put("name", t.name())
                            .put("policy", t.policy().name());
                }
                ArrayNode ps = o.putArray("peers");
                for (PeerCursor p : peers) {
                    ps.addObject()
                            .put("peer", p.peer())
                            .put("lastPulled", p.lastPulled())
                            .put("lastPushed", p.lastPushed())
                            .put("acknowledged", p.acked())
                            .put("pendingLocalChanges", engine.pendingChanges(p.peer()))
                            .put("lastSyncAt", p.lastSyncAt())
                            .put("lastOutcome", p.lastOutcome());
                }
                o.put("localChangesNeverPushed", peers.isEmpty() ? pendingAll : 0);
                o.put("openConflicts", openConflicts);
                o.put("waitingForParent", waiting);
                o.put("rejectedWrites", rejected);
                if (clockOffset.isPresent()) {
                    o.put("hubClockOffsetMs", clockOffset.get());
                    o.put(
                            "hubClockMeasuredAt",
                            DeviceMeta.get(d, DeviceMeta.CLOCK_MEASURED_AT).orElse(null));
                } else {
                    o.putNull("hubClockOffsetMs");
                }
                ArrayNode ws = o.putArray("writers");
                for (NodeBindings.Writer w : writers) {
                    ws.addObject()
                            .put("subject", w.subject())
                            .put("nodes", w.nodes())
                            .put("rowsLastWritten", w.rows());
                }
                out.println(m.writeValueAsString(o));
                return 0;
            }
            out.printf("node        %s%n", engine.nodeUuid());
            out.printf("database    %s%n", d.displayUrl());
            out.printf(
                    "hub         %s%n", hubUrl == null ? "none (not cloned from a hub; this node may be one)" : hubUrl);
            out.printf(
                    "tables      %s%n",
                    String.join(
                            ", ",
                            synced.stream()
                                    .map(t -> t.name() + " (" + t.policy() + ")")
                                    .toList()));
            if (peers.isEmpty()) {
                out.printf("peers       none yet; %d local changes to send on the first sync%n", pendingAll);
            } else {
                out.printf(
                        "%n  %-38s %10s %10s %8s  %-25s %s%n",
                        "peer", "pulled", "pushed", "pending", "last sync", "outcome");
                for (PeerCursor p : peers) {
                    out.printf(
                            "  %-38s %10d %10d %8d  %-25s %s%n",
                            p.peer(),
                            p.lastPulled(),
                            p.lastPushed(),
                            engine.pendingChanges(p.peer()),
                            p.lastSyncAt() == null ? "-" : p.lastSyncAt(),
                            p.lastOutcome() == null ? "-" : p.lastOutcome());
                }
                out.println();
            }
            out.printf(
                    "conflicts   %d open%s%n",
                    openConflicts, openConflicts > 0 ? " (shuttle conflicts list --db " + db.db + ")" : "");
            out.printf("waiting     %d changes wait for a parent row%n", waiting);
            if (rejected > 0) {
                out.printf(
                        "rejected    %d writes the hub refused to store (shuttle conflicts list --db %s)%n",
                        rejected, db.db);
            }
            if (hubUrl != null || clockOffset.isPresent()) {
                out.printf("clock       %s%n", clock(d, clockOffset));
            }
            if (!writers.isEmpty()) {
                out.printf("%n  %-30s %6s %18s%n", "subject", "nodes", "rows last written");
                for (NodeBindings.Writer w : writers) {
                    out.printf("  %-30s %6d %18d%n", w.subject(), w.nodes(), w.rows());
                }
            }
            return 0;
        }
    }

    /** The device's clock against its hub's, as last measured in a sync. */
    private static String clock(ShuttleDatabase d, Optional<Long> offset) {
        if (offset.isEmpty()) {
            return "not measured against the hub's yet (a sync over HTTP measures it)";
        }
        Instant at = DeviceMeta.get(d, DeviceMeta.CLOCK_MEASURED_AT)
                .map(Instant::parse)
                .orElse(Instant.EPOCH);
        Duration bound = DeviceMeta.get(d, DeviceMeta.CLOCK_BOUND)
                .map(ms -> Duration.ofMillis(Long.parseLong(ms)))
                .orElse(SyncEngine.DEFAULT_MAX_CLOCK_SKEW);
        return new ClockOffset(offset.get(), 0, at, bound).describe() + " (measured " + at + ")";
    }
}
