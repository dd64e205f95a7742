package io.shuttlebridge.testkit.internal;

import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.id.MillisClock;

/**
 * Where each node of a cluster reads the time: the clock its engine reads, and how connections to
 * its database are prepared (in a simulation, SQLite's 'now' read from that clock, which stamps the
 * node's captured writes). By node name: {@code hub}, {@code device0}, ...
 */
public interface NodeTime {
    MillisClock clock(String node);

    ShuttleDatabase.ConnectionSetup connections(String node);

    /** Every node on one clock, every connection prepared alike. */
    static NodeTime shared(MillisClock clock, ShuttleDatabase.ConnectionSetup connections) {
        return new NodeTime() {
            @Override
            public MillisClock clock(String node) {
                return clock;
            }

            @Override
            public ShuttleDatabase.ConnectionSetup connections(String node) {
                return connections;
            }
        };
    }
}
