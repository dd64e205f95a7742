package io.shuttlebridge.core.internal.protocol;

/** Paths, headers and parameters of protocol version 1. */
public final class Protocol {
    public static final int VERSION = 1;

    public static final String HEALTH = "/health";
    /** Readiness: the database reachable, the feed listener connected, the pool's state (503 when not ready). */
    public static final String READY = "/health/ready";

    public static final String METRICS = "/metrics";
    public static final String LEASE = "/v1/nodes/lease";
    public static final String SCHEMA = "/v1/schema";
    public static final String PUSH = "/v1/sync/push";
    public static final String PULL = "/v1/sync/pull";
    public static final String SNAPSHOT = "/v1/sync/snapshot";
    public static final String STREAM = "/v1/sync/stream";
    /** The key digest of one table's readable rows, for a device reconciling it. */
    public static final String DIGEST = "/v1/sync/digest";

    /**
     * The calling device's node uuid on pull and snapshot requests (so the hub leaves out what it
     * wrote). The query parameter {@link #NODE_PARAM} is accepted as well; the header wins.
     */
    public static final String NODE_HEADER = "X-Shuttle-Node";

    public static final String NODE_PARAM = "node";

    /**
     * On every answer of a hub: its clock's time when it took the request, in milliseconds since the
     * Unix epoch; a device measures its own clock's offset from it.
     */
    public static final String HUB_TIME_HEADER = "Shuttle-Hub-Time";

    public static final String JSON = "application/json";

    private Protocol() {}
}
