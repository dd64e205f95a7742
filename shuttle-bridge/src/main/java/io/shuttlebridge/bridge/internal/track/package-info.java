/**
 * Private API: batch tracking and metrics. Not for use outside Shuttle Bridge; may change in any release.
 */
package io.shuttlebridge.bridge.internal.track;
