/**
 * Private API: mapping source fields to target columns. Not for use outside Shuttle Bridge; may change in any release.
 */
package io.shuttlebridge.bridge.internal.map;
