package io.shuttlebridge.core.internal.sync.apply;

/**
 * Which side of a sync this replica is on for the changes being applied: a hub decides concurrent
 * writes under VERSION_STRICT, MANUAL and custom policies, a device adopts what its hub sends. Internal.
 */
public enum Role {
    HUB,
    DEVICE
}
