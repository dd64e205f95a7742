package io.shuttlebridge.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.shuttlebridge.client.NodeLeases;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.protocol.Lease;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.server.internal.LeaseStore;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code shuttle node lease|show}: this database's node identity and short-id lease. */
@Command(
        name = "node",
        mixinStandardHelpOptions = true,
        description = "Node identity: show it, or lease/renew the short id at the hub.",
        subcommands = {
            NodeCommand.Show.class,
            NodeCommand.LeaseCmd.class,
            NodeCommand.Reset.class,
            NodeCommand.Retire.class
        })
public final class NodeCommand implements Runnable {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "Missing subcommand: show, lease, reset or retire");
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Print the node uuid, device key, short-id lease and hub.")
    static final class Show implements Callable<Integer> {
        @Mixin
        DbOption db;

        @Option(names = "--json", description = "Print as JSON.")
        boolean json;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try (ShuttleDatabase database = db.openExisting()) {
                NodeLeases.NodeInfo n = NodeLeases.show(database);
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    Map<String, Object> doc = new LinkedHashMap<>();
                    doc.put("nodeUuid", n.nodeUuid());
                    doc.put("deviceKey", n.deviceKey());
                    doc.put("shortId", n.lease().map(Lease::shortId).orElse(null));
                    doc.put(
                            "leaseExpiresAt",
                            n.lease().map(l -> l.leaseExpiresAt().toString()).orElse(null));
                    doc.put("hub", n.hubUrl().orElse(null));
                    doc.put("hubNode", n.hubNode().orElse(null));
                    out.println(new ObjectMapper().writeValueAsString(doc));
                } else {
                    out.printf(
                            "node      %s%ndevice    %s%nshort id  %s%nhub       %s%n",
                            n.nodeUuid(),
                            n.deviceKey(),
                            n.lease()
                                    .map(l -> l.shortId() + " (lease until " + l.leaseExpiresAt() + ")")
                                    .orElse("none leased"),
                            n.hubUrl()
                                    .map(u -> u
                                            + n.hubNode()
                                                    .map(h -> " (node " + h + ")")
                                                    .orElse(""))
                                    .orElse("none"));
                }
                return 0;
            }
        }
    }

    @Command(
            name = "lease",
            mixinStandardHelpOptions = true,
            description = "Lease or renew this device's short id at the hub.")
    static final class LeaseCmd implements Callable<Integer> {
        @Mixin
        DbOption db;

        @Mixin
        HubOptions hub;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try (ShuttleDatabase database = db.openExisting()) {
                Lease l = NodeLeases.lease(
                        database,
                        hub.transport(NodeLeases.show(database).hubUrl().orElse(null)));
                spec.commandLine().getOut().printf("short id %d, lease until %s%n", l.shortId(), l.leaseExpiresAt());
                return 0;
            }
        }
    }

    @Command(
            name = "reset",
            mixinStandardHelpOptions = true,
            description = {
                "Give a copied device database a new node identity: its hub refuses a database that syncs as the",
                "same node as another (409 NODE_COPIED). Writes the hub acknowledged stay the old identity's; the",
                "unpushed ones are kept and go to the hub under the new identity at the next sync. Leases a new",
                "short id when the hub is reachable (shuttle node lease later otherwise)."
            })
    static final class Reset implements Callable<Integer> {
        @Mixin
        DbOption db;

        @Mixin
        HubOptions hub;

        @Option(names = "--json", description = "Print the result as JSON.")
        boolean json;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try (ShuttleDatabase database = db.openExisting()) {
                String hubUrl = hub.hub != null
                        ? hub.hub
                        : NodeLeases.show(database).hubUrl().orElse(null);
                NodeLeases.Reset r = NodeLeases.reset(database, hubUrl == null ? null : hub.transport(hubUrl));
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    Map<String, Object> doc = new LinkedHashMap<>();
                    doc.put("oldNode", r.oldNode());
                    doc.put("nodeUuid", r.newNode());
                    doc.put("unpushed", r.unpushed());
                    doc.put("shortId", r.lease().map(Lease::shortId).orElse(null));
                    doc.put(
                            "leaseExpiresAt",
                            r.lease().map(l -> l.leaseExpiresAt().toString()).orElse(null));
                    doc.put("leaseFailure", r.leaseFailure().orElse(null));
                    out.println(new ObjectMapper().writeValueAsString(doc));
                } else {
                    out.printf(
                            "%s is now node %s (was %s): %,d unpushed write(s) kept, they go to the hub under the new"
                                    + " identity at the next sync.%n",
                            db.db, r.newNode(), r.oldNode(), r.unpushed());
                    out.println(r.lease()
                            .map(l -> "Short id " + l.shortId() + " leased until " + l.leaseExpiresAt() + ".")
                            .orElse("No short id leased yet"
                                    + r.leaseFailure()
                                            .map(f -> " (" + Main.oneLine(f) + ")")
                                            .orElse("")
                                    + ": run shuttle node lease --db " + db.db + " when the hub is reachable."));
                    out.printf(
                            "If the database this one was copied from is gone for good, free its identity on the hub:"
                                    + " shuttle node retire %s --db HUB%n",
                            r.oldNode());
                }
                return 0;
            }
        }
    }

    @Command(
            name = "retire",
            mixinStandardHelpOptions = true,
            description = {
                "On a hub: retire a device that will not sync again, so that it no longer holds back the purge of"
                        + " tombstones, and free its short id.",
                "If it syncs again it is refused, with word to clone a new device (unpushed writes can travel in a bundle)."
            })
    static final class Retire implements Callable<Integer> {
        @Mixin
        DbOption db;

        @CommandLine.Parameters(
                paramLabel = "NODE",
                description = "The device's node uuid (shuttle status --db HUB lists them).")
        String node;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            try (ShuttleDatabase database = db.openExisting()) {
                boolean known = SyncEngine.open(database).retirePeer(node);
                boolean leased = LeaseStore.release(database, node);
                if (!known && !leased) {
                    throw new ShuttleException(
                            ErrorCode.NOT_FOUND,
                            "this hub knows no device " + node + " (shuttle status --db " + db.db + " lists them)");
                }
                spec.commandLine()
                        .getOut()
                        .printf(
                                "Retired %s: it no longer holds back the purge of tombstones%s.%n",
                                node, leased ? ", and its short id is free" : "");
                return 0;
            }
        }
    }
}
