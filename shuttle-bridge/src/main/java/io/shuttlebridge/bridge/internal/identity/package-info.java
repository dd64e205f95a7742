/**
 * Private API: identity hashes and canonical forms of records. Not for use outside Shuttle Bridge; may change in any release.
 */
package io.shuttlebridge.bridge.internal.identity;
