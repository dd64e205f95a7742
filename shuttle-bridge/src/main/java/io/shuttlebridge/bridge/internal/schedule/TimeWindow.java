package io.shuttlebridge.bridge.internal.schedule;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * A daily window of local time in a named zone, [start, end). An end before the start crosses
 * midnight (19:00-07:00); equal start and end means all day. Local times are resolved in the zone,
 * so daylight-saving changes move the window with the wall clock.
 */
public record TimeWindow(LocalTime start, LocalTime end, ZoneId zone) {

    public boolean allDay() {
        return start.equals(end);
    }

    public boolean contains(Instant t) {
        if (allDay()) {
            return true;
        }
        LocalTime local = t.atZone(zone).toLocalTime();
        return start.isBefore(end)
                ? !local.isBefore(start) && local.isBefore(end)
                : !local.isBefore(start) || local.isBefore(end);
    }

    /** When the window that contains {@code t} opened. */
    public Instant openedAt(Instant t) {
        if (allDay()) {
            return t.atZone(zone).toLocalDate().atStartOfDay(zone).toInstant();
        }
        LocalDate day = t.atZone(zone).toLocalDate();
        ZonedDateTime today = ZonedDateTime.of(day, start, zone);
        return !today.toInstant().isAfter(t)
                ? today.toInstant()
                : ZonedDateTime.of(day.minusDays(1), start, zone).toInstant();
    }

    /** When the window that contains {@code t} closes (null when all day). */
    public Instant closesAt(Instant t) {
        if (allDay()) {
            return null;
        }
        Instant opened = openedAt(t);
        LocalDate openDay = opened.atZone(zone).toLocalDate();
        LocalDate endDay = start.isBefore(end) ? openDay : openDay.plusDays(1);
        return ZonedDateTime.of(endDay, end, zone).toInstant();
    }

    /** When the window next opens after {@code t} (t itself when it is open). */
    public Instant nextOpening(Instant t) {
        if (contains(t)) {
            return t;
        }
        LocalDate day = t.atZone(zone).toLocalDate();
        ZonedDateTime today = ZonedDateTime.of(day, start, zone);
        return today.toInstant().isAfter(t)
                ? today.toInstant()
                : ZonedDateTime.of(day.plusDays(1), start, zone).toInstant();
    }

    @Override
    public String toString() {
        return start + "-" + end;
    }
}
