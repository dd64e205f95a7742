/**
 * Private API: shared JDBC helpers of the engine. Not for use outside Shuttle Bridge; may change in any release.
 */
package io.shuttlebridge.core.internal;
