/**
 * Private API: sync windows and schedules. Not for use outside Shuttle Bridge; may change in any release.
 */
package io.shuttlebridge.bridge.internal.schedule;
