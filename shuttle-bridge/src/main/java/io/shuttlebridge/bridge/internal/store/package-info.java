/**
 * Private API: the Bridge's own state tables. Not for use outside Shuttle Bridge; may change in any release.
 */
package io.shuttlebridge.bridge.internal.store;
