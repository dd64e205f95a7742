/**
 * Private API: records as they move through the pipeline. Not for use outside Shuttle Bridge; may change in any release.
 */
package io.shuttlebridge.bridge.internal.record;
