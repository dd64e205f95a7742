/**
 * Private API: running entities in batches. Not for use outside Shuttle Bridge; may change in any release.
 */
package io.shuttlebridge.bridge.internal.run;
