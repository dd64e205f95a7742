/**
 * Value types of the wire protocol (DESIGN §6) that users of a hub or a device meet: the short-id
 * {@link io.shuttlebridge.core.protocol.Lease lease} and the {@link io.shuttlebridge.core.protocol.HubLimits
 * limits} a hub announces for one push. The codecs live in internal packages.
 */
package io.shuttlebridge.core.protocol;
