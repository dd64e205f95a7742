/**
 * Private API: the testkit's clusters, schema discovery, workload, fault injection and oracle. Not
 * for use outside Shuttle Bridge; may change in any release.
 */
package io.shuttlebridge.testkit.internal;
