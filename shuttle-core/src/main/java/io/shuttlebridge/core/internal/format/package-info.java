/**
 * Private API: the format of the engine's own tables ({@code _shuttle_*}), and the upgrade of a
 * database an earlier release wrote, in one transaction when the engine opens it. Not for use outside
 * Shuttle Bridge; may change in any release.
 */
package io.shuttlebridge.core.internal.format;
