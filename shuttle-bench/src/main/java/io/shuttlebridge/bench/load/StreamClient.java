package io.shuttlebridge.bench.load;

import java.net.URI;

/** Opens a {@link StreamFleet}'s streams on a hub and keeps them open until closed. */
interface StreamClient extends AutoCloseable {
    /** Opens every stream of the fleet, bearer {@code token} (null for none) on each upgrade; returns how many opened. */
    int open(URI hub, String token, StreamFleet fleet) throws InterruptedException;

    /** Drops every stream at once. */
    @Override
    void close();

    /** What it is, for the report. */
    String description();
}
