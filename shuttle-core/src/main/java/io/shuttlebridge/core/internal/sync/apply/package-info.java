/**
 * Private API: the apply path: the conflict rules and their verdicts, batch state, row lookups, held
 * changes, delete cascades, and the conflict and pending stores. Not for use outside Shuttle Bridge;
 * may change in any release.
 */
package io.shuttlebridge.core.internal.sync.apply;
