/**
 * Private API: PEM files for TLS, read with the JDK alone: a hub's certificate chain and private key, a device's trusted
 * certificates. Shared by the server and the client; every failure names the file and what is wrong with it.
 */
package io.shuttlebridge.core.internal.tls;
