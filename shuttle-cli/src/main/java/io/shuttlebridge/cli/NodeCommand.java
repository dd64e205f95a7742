package io.shuttlebridge.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.shuttlebridge.client.NodeLeases;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.protocol.Lease;
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
        subcommands = {NodeCommand.Show.class, NodeCommand.LeaseCmd.class})
public final class NodeCommand implements Runnable {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: lease or show");
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
}
