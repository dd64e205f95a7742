/**
 * Private API: the apply path: verdicts, batch state, lookups, held changes, cascades, conflict and peer stores. Not for use outside Shuttle Bridge; may change in any release.
 */
package io.shuttlebridge.core.internal.sync;
