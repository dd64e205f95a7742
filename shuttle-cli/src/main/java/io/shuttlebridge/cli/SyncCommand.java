package io.shuttlebridge.cli;

import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.client.LiveSync;
import io.shuttlebridge.client.NodeLeases;
import io.shuttlebridge.client.internal.ClockWatch;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.core.sync.SyncReport;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code shuttle sync}: pull then push once, or stay live on the hub's stream. */
@Command(
        name = "sync",
        mixinStandardHelpOptions = true,
        description = {
            "Pull the hub's changes, then push local ones. With --watch, stay connected: follow the hub's stream",
            "and push local commits moments after they happen, until stopped with Ctrl-C."
        })
public final class SyncCommand implements Callable<Integer> {
    @Mixin
    HubOptions hub;

    @Mixin
    DbOption db;

    @Option(
            names = "--adopt",
            description = "Move this device to the hub given by --hub (another hub than it was cloned from): its"
                    + " unpushed writes are kept and pushed there, and it takes that hub's rows.")
    boolean adopt;

    @Option(names = "--watch", description = "Stay live on the hub's stream.")
    boolean watch;

    @Option(names = "--json", description = "Print each sync report as JSON.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (ShuttleDatabase database = db.openExisting()) {
            NodeLeases.NodeInfo me = NodeLeases.show(database);
            HttpTransport transport = hub.transport(me.hubUrl().orElse(null));
            String hubNode = transport.hubNode();
            SyncEngine engine = SyncEngine.open(database);
            String previous = me.hubNode().filter(n -> !n.equals(hubNode)).orElse(null);
            if (previous != null && !adopt) {
                throw new ShuttleException(
                        ErrorCode.INVALID_ARGUMENT,
                        "this device was cloned from hub node " + previous + ", but " + transport.hub() + " is node "
                                + hubNode + ": to move it to that hub, keeping its unpushed writes, add --adopt");
            }
            if (previous != null) {
                long unpushed = engine.pendingChanges(previous);
                engine.adoptHub(previous, hubNode);
                NodeLeases.adopt(database, transport);
                spec.commandLine()
                        .getErr()
                        .printf(
                                "Moved this device from hub node %s to %s (%s): %d unpushed change(s) go there;"
                                        + " its rows are taken from there first%n",
                                previous, hubNode, transport.hub(), unpushed);
            }
            if (!watch) {
                print(out, engine.pullThenPush(transport));
                try {
                    NodeLeases.renewIfDue(database, transport); // a device that syncs keeps its short id
                } catch (ShuttleException e) {
                    spec.commandLine()
                            .getErr()
                            .println("shuttle: warning: the short-id lease was not renewed: "
                                    + Main.oneLine(e.getMessage()));
                }
                // one line when this device's clock is off the hub's by more than the hub's bound
                new ClockWatch(database, transport).measure().ifPresent(w -> {
                    spec.commandLine().getErr().println("shuttle: warning: " + w);
                    spec.commandLine().getErr().flush();
                });
                return 0;
            }
            CountDownLatch stopped = new CountDownLatch(1);
            LiveSync live =
                    LiveSync.start(engine, transport, hubNode, LiveSync.Settings.DEFAULT, new LiveSync.Listener() {
                        @Override
                        public void synced(SyncReport r) {
                            if (r.pulled() + r.pushed() + r.conflicts() > 0) {
                                print(out, r);
                            }
                        }

                        @Override
                        public void failed(RuntimeException e) {
                            spec.commandLine()
                                    .getErr()
                                    .println("shuttle: sync failed, will retry: " + Main.oneLine(e.getMessage()));
                            spec.commandLine().getErr().flush();
                        }
                    });
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                live.close();
                                stopped.countDown();
                            },
                            "shuttle-sync-shutdown"));
            out.printf("Live sync of %s with %s (Ctrl-C to stop)%n", database.displayUrl(), transport.hub());
            out.flush();
            stopped.await();
            return 0;
        }
    }

    private void print(PrintWriter out, SyncReport r) {
        if (json) {
            out.printf(
                    "{\"pulled\":%d,\"applied\":%d,\"pushed\":%d,\"pushDuplicates\":%d,\"conflicts\":%d,\"resynced\":%b,"
                            + "\"lastPulled\":%d,\"lastPushed\":%d,\"restamped\":%d,\"rejected\":%d}%n",
                    r.pulled(),
                    r.applied(),
                    r.pushed(),
                    r.pushDuplicates(),
                    r.conflicts(),
                    r.resynced(),
                    r.lastPulled(),
                    r.lastPushed(),
                    r.restamped().size(),
                    r.rejected());
        } else {
            out.printf(
                    "Synced: pulled %d (applied %d), pushed %d, conflicts %d%s%s%s%n",
                    r.pulled(),
                    r.applied(),
                    r.pushed(),
                    r.conflicts(),
                    r.rejected() == 0 ? "" : ", rejected by the hub " + r.rejected() + " (shuttle conflicts list)",
                    r.resynced() ? ", resynced from a snapshot" : "",
                    r.restamped().isEmpty()
                            ? ""
                            : ", re-stamped by the hub " + r.restamped().size()
                                    + " (this device's clock runs ahead: see the warnings)");
        }
        out.flush();
    }
}
