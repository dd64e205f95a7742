/** Private API of the hub server: handlers, lease store, stream, metrics. May change without notice. */
package io.shuttlebridge.server.internal;
