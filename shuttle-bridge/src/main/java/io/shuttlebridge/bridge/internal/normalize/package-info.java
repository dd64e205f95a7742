/**
 * Private API: normalizing values. Not for use outside Shuttle Bridge; may change in any release.
 */
package io.shuttlebridge.bridge.internal.normalize;
