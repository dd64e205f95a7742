package io.shuttlebridge.core.sync;

/**
 * Where this node stands with one peer: the last hub seq pulled from it, the last local seq pushed
 * to it, the last local seq it acknowledged (it asked for changes after it), and the last sync.
 */
public record PeerCursor(
        String peer, long lastPulled, long lastPushed, long acked, String lastSyncAt, String lastOutcome) {}
