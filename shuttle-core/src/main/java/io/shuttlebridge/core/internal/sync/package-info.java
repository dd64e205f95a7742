/**
 * Private API: the peer cursors and conflict settlements of the sync engine; the apply path is in
 * {@code apply}. Not for use outside Shuttle Bridge; may change in any release.
 */
package io.shuttlebridge.core.internal.sync;
