/**
 * Private API: the synced schema as the engine stores it, and backfill. Not for use outside Shuttle Bridge; may change in any release.
 */
package io.shuttlebridge.core.internal.capture;
