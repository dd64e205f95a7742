/**
 * Private API: the change codec and feed entries. Not for use outside Shuttle Bridge; may change in any release.
 */
package io.shuttlebridge.core.internal.change;
