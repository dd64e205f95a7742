package io.shuttlebridge.core.internal.sync.apply;

/** How a change reaches the apply: fresh in a batch, or released from the pending queue once its parents arrived. */
enum Arrival {
    FRESH,
    RELEASED
}
