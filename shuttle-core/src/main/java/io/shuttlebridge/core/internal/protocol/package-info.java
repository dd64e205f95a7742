/**
 * Private API: wire protocol version 1 between devices and a hub (DESIGN §6): paths, headers and the JSON
 * codecs of every request and response body. Shared by the server and the client so that the two
 * sides cannot drift apart; no web framework here.
 */
package io.shuttlebridge.core.internal.protocol;
