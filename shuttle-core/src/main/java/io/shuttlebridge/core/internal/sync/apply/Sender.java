package io.shuttlebridge.core.internal.sync.apply;

/**
 * Where a change being applied came from: the peer that sent it (its feed entry records it, so the
 * change is not sent back there) and the side this replica was on when it arrived. A held change
 * keeps the sender it arrived with.
 */
record Sender(String via, Role role) {}
