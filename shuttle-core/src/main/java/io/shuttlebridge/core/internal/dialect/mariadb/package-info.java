/**
 * Private API: the MariaDB (and MySQL) dialect, its capture triggers and its fold. Not for use outside
 * Shuttle Bridge; may change in any release.
 */
package io.shuttlebridge.core.internal.dialect.mariadb;
