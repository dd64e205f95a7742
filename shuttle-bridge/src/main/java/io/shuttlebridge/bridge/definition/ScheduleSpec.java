package io.shuttlebridge.bridge.definition;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;

/**
 * When an entity syncs on its own.
 *
 * @param windowStart start of the allowed window, local time in {@code zone} (inclusive)
 * @param windowEnd end of the window (exclusive); earlier than the start means the window crosses midnight
 * @param zone the named zone the window is expressed in
 * @param every how often a new pass starts inside the window once the previous one is complete
 * @param rowsPerWindow the most source records one window processes (0: no limit); a pass that
 *     does not fit goes on in the next window, from where it stopped
 */
public record ScheduleSpec(
        LocalTime windowStart, LocalTime windowEnd, ZoneId zone, Duration every, long rowsPerWindow) {}
