/**
 * Private API: validation rules. Not for use outside Shuttle Bridge; may change in any release.
 */
package io.shuttlebridge.bridge.internal.validate;
