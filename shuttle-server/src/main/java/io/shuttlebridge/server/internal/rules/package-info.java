/** Private API: the parsing, checking and evaluation of sync rules. Not for use outside Shuttle Bridge. */
package io.shuttlebridge.server.internal.rules;
