/**
 * Private API: writing ingested rows into the target database. Not for use outside Shuttle Bridge; may change in any release.
 */
package io.shuttlebridge.bridge.internal.target;
