package io.shuttlebridge.testkit.internal;

import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.sync.SyncReport;
import io.shuttlebridge.core.sync.Transport;
import io.shuttlebridge.testkit.Device;
import java.util.Objects;
import java.util.function.BiFunction;

/** A device of a cluster: a node that syncs with the cluster's hub. */
public final class DeviceNode extends Node implements Device {
    private final BiFunction<Node, Transport, SyncReport> sync;

    DeviceNode(String name, String url, ShuttleDatabase db, Setup setup, BiFunction<Node, Transport, SyncReport> sync) {
        super(name, url, db, setup);
        this.sync = sync;
    }

    @Override
    public SyncReport sync() {
        return sync.apply(this, null);
    }

    @Override
    public SyncReport sync(Transport via) {
        return sync.apply(this, Objects.requireNonNull(via, "via"));
    }
}
