/**
 * Private API: the SQLite dialect and its capture triggers. Not for use outside Shuttle Bridge; may change in any release.
 */
package io.shuttlebridge.core.internal.dialect.sqlite;
