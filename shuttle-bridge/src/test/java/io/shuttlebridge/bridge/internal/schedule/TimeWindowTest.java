package io.shuttlebridge.bridge.internal.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class TimeWindowTest {
    final TimeWindow night = new TimeWindow(LocalTime.of(19, 0), LocalTime.of(7, 0), ZoneId.of("Europe/Berlin"));

    @Test
    void windowCrossingMidnightInANamedZone() {
        assertThat(night.contains(Instant.parse("2025-01-10T17:59:00Z"))).isFalse(); // 18:59 Berlin
        assertThat(night.contains(Instant.parse("2025-01-10T18:00:00Z"))).isTrue(); // 19:00
        assertThat(night.contains(Instant.parse("2025-01-10T23:30:00Z"))).isTrue(); // 00:30 next day
        assertThat(night.contains(Instant.parse("2025-01-11T05:59:00Z"))).isTrue(); // 06:59
        assertThat(night.contains(Instant.parse("2025-01-11T06:00:00Z"))).isFalse(); // 07:00
        assertThat(night.openedAt(Instant.parse("2025-01-10T23:30:00Z")))
                .isEqualTo(Instant.parse("2025-01-10T18:00:00Z"));
        assertThat(night.closesAt(Instant.parse("2025-01-10T23:30:00Z")))
                .isEqualTo(Instant.parse("2025-01-11T06:00:00Z"));
        assertThat(night.nextOpening(Instant.parse("2025-01-11T09:00:00Z")))
                .isEqualTo(Instant.parse("2025-01-11T18:00:00Z"));
    }

    @Test
    void followsDaylightSavingTime() {
        assertThat(night.contains(Instant.parse("2025-07-10T17:30:00Z"))).isTrue(); // 19:30 CEST
        assertThat(night.contains(Instant.parse("2025-07-11T05:30:00Z"))).isFalse(); // 07:30 CEST
    }
}
