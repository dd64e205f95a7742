/** Private API of the device client: HTTP calls with retries, table creation, device metadata. */
package io.shuttlebridge.client.internal;
