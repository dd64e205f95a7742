/**
 * Private API: SQL dialects, selected by capability. Not for use outside Shuttle Bridge; may change in any release.
 */
package io.shuttlebridge.core.internal.dialect;
