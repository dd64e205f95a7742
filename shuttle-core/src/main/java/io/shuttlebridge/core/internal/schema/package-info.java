/**
 * Private API: schema discovery model: tables, columns, keys, apply order, type mapping. Not for use outside Shuttle Bridge; may change in any release.
 */
package io.shuttlebridge.core.internal.schema;
