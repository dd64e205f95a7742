/**
 * Private API: reading sources (HTTP JSON, JDBC, CSV). Not for use outside Shuttle Bridge; may change in any release.
 */
package io.shuttlebridge.bridge.internal.source;
