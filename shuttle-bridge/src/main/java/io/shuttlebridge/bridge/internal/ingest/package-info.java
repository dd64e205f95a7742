/**
 * Private API: ingestion into the target. Not for use outside Shuttle Bridge; may change in any release.
 */
package io.shuttlebridge.bridge.internal.ingest;
