/**
 * Private API: what {@code SyncEngine} delegates to (the hub side, the device's puller and push
 * pipeline, the conflicts API) and the peer cursors. Not for use outside Shuttle Bridge; may change
 * in any release.
 */
package io.shuttlebridge.core.internal.sync;
