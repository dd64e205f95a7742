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
    /** The rows of one table that differ from those a device shows it holds, for a device reconciling it. */
    public static final String DIFF = "/v1/sync/diff";
    /** The rows of one table that moved into a device's set since a cursor, for a device told they did. */
    public static final String MOVED = "/v1/sync/moved";

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

    /**
     * On pull and push requests: the latest ticket the device received from the hub (its standing, DESIGN §6);
     * a request without it is checked for nothing. The answer's body carries the next ticket.
     */
    public static final String TICKET_HEADER = "Shuttle-Ticket";

    /** Beside {@link #TICKET_HEADER}: the nonce the device drew when it first showed that ticket. */
    public static final String TICKET_NONCE_HEADER = "Shuttle-Ticket-Nonce";

    /** Beside {@link #TICKET_HEADER}: the id of the backup this database was restored from, until the hub heard of it. */
    public static final String RESTORED_BACKUP_HEADER = "Shuttle-Restored-Backup";

    /** Beside {@link #TICKET_HEADER}: {@code 1} while the device re-pushes its writes to a hub that was restored. */
    public static final String HUB_RESTORED_HEADER = "Shuttle-Hub-Restored";

    /**
     * Beside {@link #TICKET_HEADER} on a push: the positions of the changes that are copies of writes the hub
     * lost with a restore ({@link io.shuttlebridge.core.sync.Standing#resent}), as ranges: {@code 0-3,7}.
     */
    public static final String RESENT_HEADER = "Shuttle-Resent";

    public static final String JSON = "application/json";

    private Protocol() {}
}
