package io.shuttlebridge.jpa.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

/** The text of dates and times on a SQLite device: the engine's form when written, lenient when read. */
class TemporalTextTest {
    @Test
    void instantsAreUtcIsoToTheMicrosecondAsAPostgresHubHandsThemBack() {
        Instant t = Instant.parse("2025-01-02T03:04:05.123456789Z");
        assertThat(TemporalText.INSTANT.format(t)).isEqualTo("2025-01-02T03:04:05.123456Z");
        assertThat(TemporalText.INSTANT.format(Instant.parse("2025-01-02T03:04:05.120Z")))
                .isEqualTo("2025-01-02T03:04:05.12Z");
        assertThat(TemporalText.INSTANT.format(Instant.parse("2025-01-02T03:04:00Z")))
                .isEqualTo("2025-01-02T03:04:00Z");
        // the form the engine reads from a timestamptz column (Jdbc.readValue)
        OffsetDateTime fromHub = OffsetDateTime.parse("2025-01-02T03:04:05.12Z");
        assertThat(TemporalText.INSTANT.format(fromHub.toInstant()))
                .isEqualTo(fromHub.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    }

    @Test
    void localValuesAreIso() {
        assertThat(TemporalText.LOCAL_DATE_TIME.format(LocalDateTime.parse("2025-01-02T03:04:05.5")))
                .isEqualTo("2025-01-02T03:04:05.5");
        assertThat(TemporalText.LOCAL_DATE.format(LocalDate.parse("2025-01-02")))
                .isEqualTo("2025-01-02");
        assertThat(TemporalText.LOCAL_TIME.format(LocalTime.parse("03:04"))).isEqualTo("03:04:00");
    }

    @Test
    void readingTakesWhatElseAColumnMayHold() {
        Instant t = Instant.parse("2025-01-02T03:04:05Z");
        assertThat(TemporalText.INSTANT.read("2025-01-02T03:04:05Z")).isEqualTo(t);
        assertThat(TemporalText.INSTANT.read("2025-01-02T05:04:05+02:00")).isEqualTo(t);
        assertThat(TemporalText.INSTANT.read("2025-01-02 03:04:05"))
                .as("datetime('now')")
                .isEqualTo(t);
        assertThat(TemporalText.INSTANT.read(t.toEpochMilli()))
                .as("Hibernate's own SQLite form")
                .isEqualTo(t);
        assertThat(TemporalText.INSTANT.read(null)).isNull();
        assertThat(TemporalText.LOCAL_DATE_TIME.read("2025-01-02T05:04:05+02:00"))
                .isEqualTo(LocalDateTime.ofInstant(t, ZoneOffset.UTC));
        assertThat(TemporalText.LOCAL_DATE.read("2025-01-02 03:04:05")).isEqualTo(LocalDate.parse("2025-01-02"));
        assertThat(TemporalText.LOCAL_TIME.read("03:04:05.25")).isEqualTo(LocalTime.parse("03:04:05.25"));
    }

    @Test
    void textThatIsNoDateSaysSo() {
        assertThatThrownBy(() -> TemporalText.INSTANT.read("tomorrow"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'tomorrow' is not an ISO-8601 Instant");
    }
}
