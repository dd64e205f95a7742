/**
 * Identity and clock primitives: {@link io.shuttlebridge.core.id.KSortedId k-sorted 64-bit ids},
 * their {@link io.shuttlebridge.core.id.KSortedIdGenerator generator} and {@link
 * io.shuttlebridge.core.id.KSortedIds global / scoped access}, and {@link
 * io.shuttlebridge.core.id.Hlc hybrid logical clock} timestamps with their {@link
 * io.shuttlebridge.core.id.HlcClock clock}. Time always comes from an injected {@link
 * io.shuttlebridge.core.id.MillisClock}.
 */
package io.shuttlebridge.core.id;
