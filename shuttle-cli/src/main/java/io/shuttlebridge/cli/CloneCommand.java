package io.shuttlebridge.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.shuttlebridge.client.DeviceClone;
import io.shuttlebridge.core.ShuttleDatabase;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code shuttle clone}: make a new device from a hub. */
@Command(
        name = "clone",
        mixinStandardHelpOptions = true,
        description = {
            "New device: create the hub's synced tables in a SQLite file, enable capture, lease a node id,",
            "and bootstrap from the hub's snapshot. Interrupted? Run it again: it continues where it stopped."
        })
public final class CloneCommand implements Callable<Integer> {
    @Mixin
    HubOptions hub;

    @Option(
            names = "--db",
            required = true,
            paramLabel = "PATH",
            description = "The device's SQLite file (created when missing).")
    String db;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (hub.hub == null) {
            throw new IllegalArgumentException("--hub is required: the URL of the hub to clone from");
        }
        if (db.startsWith("jdbc:") && !db.startsWith("jdbc:sqlite:")) {
            throw new io.shuttlebridge.core.ShuttleException(
                    io.shuttlebridge.core.ErrorCode.INVALID_ARGUMENT,
                    "a device is a SQLite file, and so is a store hub (a device of its HQ): clone into a file path,"
                            + " not " + io.shuttlebridge.core.internal.dialect.Identifiers.redactUrl(db)
                            + " (a MariaDB or PostgreSQL database is a hub: shuttle init, then shuttle serve)");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (ShuttleDatabase database = ShuttleDatabase.open(db)) {
            DeviceClone.Result r = DeviceClone.run(
                    database,
                    hub.transport(null),
                    Terminal.progress(spec.commandLine().getErr()));
            if (json) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("db", database.displayUrl());
                doc.put("nodeUuid", r.nodeUuid());
                doc.put("hubNode", r.hubNode());
                doc.put("shortId", r.lease().shortId());
                doc.put("leaseExpiresAt", r.lease().leaseExpiresAt().toString());
                doc.put("tables", r.tables());
                doc.put("rows", r.rows());
                doc.put("resumed", r.resumed());
                out.println(new ObjectMapper().writeValueAsString(doc));
            } else {
                out.printf(
                        "%s %s from hub %s: node %s, short id %d (lease until %s), %,d rows in %s%n",
                        r.resumed() ? "Resumed clone of" : "Cloned",
                        db,
                        r.hubNode(),
                        r.nodeUuid(),
                        r.lease().shortId(),
                        r.lease().leaseExpiresAt(),
                        r.rows(),
                        String.join(", ", r.tables()));
            }
            return 0;
        }
    }
}
