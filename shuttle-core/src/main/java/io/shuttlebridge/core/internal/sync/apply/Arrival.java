package io.shuttlebridge.core.internal.sync.apply;

/**
 * How a change reaches the apply: fresh in a batch, in a page of the hub's snapshot (the row as the hub
 * holds it now), released from the pending queue once its parents arrived, or resent in a push as a copy of
 * a write this hub acknowledged before and lost with a restore of it (a row the sender received from this hub
 * and keeps, for rows of its own refer to it).
 */
enum Arrival {
    FRESH,
    SNAPSHOT,
    RELEASED,
    RESENT
}
