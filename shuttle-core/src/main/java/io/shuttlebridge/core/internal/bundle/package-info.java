/**
 * Private API: bundle hashing. Not for use outside Shuttle Bridge; may change in any release.
 */
package io.shuttlebridge.core.internal.bundle;
