/**
 * Private API: the Bridge pipeline's machinery. Not for use outside Shuttle Bridge; may change in any release.
 */
package io.shuttlebridge.bridge.internal;
