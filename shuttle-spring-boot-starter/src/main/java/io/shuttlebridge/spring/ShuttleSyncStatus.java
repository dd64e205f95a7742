package io.shuttlebridge.spring;

import java.net.URI;
import java.time.Instant;

/**
 * Where a device stands with its hub.
 *
 * @param hub the hub's URL
 * @param hubNode the hub's node uuid, once it has been reached; null before
 * @param live whether the device follows the hub's stream
 * @param streamConnected whether the stream is open right now (false when not live)
 * @param hubReachable whether the last sync reached the hub; false before any sync
 * @param lastSync when the last sync ended, successful or not; null before any
 * @param lastSuccess when the last successful sync ended; null before any
 * @param lastError the message of the last sync's failure; null when it succeeded
 * @param syncs syncs that succeeded since start-up
 * @param failures syncs that failed since start-up
 */
public record ShuttleSyncStatus(
        URI hub,
        String hubNode,
        boolean live,
        boolean streamConnected,
        boolean hubReachable,
        Instant lastSync,
        Instant lastSuccess,
        String lastError,
        long syncs,
        long failures) {}
