package io.shuttlebridge.core.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KSortedIdTest {

    private static final long MAX_UNIX_MILLIS = KSortedId.EPOCH_MILLIS + KSortedId.MAX_TIMESTAMP;

    @Test
    void epochIsFirstOfJanuary2025() {
        // 2025-01-01 is 55 * 365 + 14 leap days = 20,089 days after 1970-01-01;
        // 20,089 * 86,400,000 ms = 1,735,689,600,000 ms.
        assertThat(KSortedId.EPOCH_MILLIS).isEqualTo(1_735_689_600_000L);
        assertThat(KSortedId.EPOCH).isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
    }

    @Test
    void idForAKnownTimeMatchesTheGoldenConstant() {
        // 2026-11-23T14:45:00.123Z, shortId 7, sequence 5.
        // Days since 2025-01-01: 365 (2025) + 304 (Jan..Oct 2026: 31+28+31+30+31+30+31+31+30+31)
        //   + 22 (Nov 1..22) = 691 days = 691 * 86,400,000 = 59,702,400,000 ms.
        // Time of day: 14 * 3,600,000 + 45 * 60,000 + 123 = 53,100,123 ms.
        // ms since epoch = 59,702,400,000 + 53,100,123 = 59,755,500,123.
        // id = 59,755,500,123 << 22  = 59,755,500,123 * 4,194,304 = 250,632,733,187,899,392
        //    + 7 << 12               = 7 * 4,096                  =                  28,672
        //    + 5                                                  =                       5
        //    = 250,632,733,187,928,069 (0x037a6d2496c07005).
        long unix = Instant.parse("2026-11-23T14:45:00.123Z").toEpochMilli();
        long id = KSortedId.of(unix, 7, 5);

        assertThat(id).isEqualTo(250_632_733_187_928_069L).isEqualTo(0x037a6d2496c07005L);
        assertThat(KSortedId.timestamp(id)).isEqualTo(Instant.parse("2026-11-23T14:45:00.123Z"));
        assertThat(KSortedId.unixMillis(id)).isEqualTo(unix);
        assertThat(KSortedId.shortId(id)).isEqualTo(7);
        assertThat(KSortedId.sequence(id)).isEqualTo(5);
    }

    @Test
    void extremesOfTheLayout() {
        assertThat(KSortedId.of(KSortedId.EPOCH_MILLIS, 0, 0)).isZero();
        // All 63 value bits set: the largest id is Long.MAX_VALUE, still positive.
        assertThat(KSortedId.of(MAX_UNIX_MILLIS, 1023, 4095)).isEqualTo(Long.MAX_VALUE);
        assertThat(KSortedId.timestamp(Long.MAX_VALUE)).isEqualTo(Instant.parse("2094-09-07T15:47:35.551Z"));
    }

    @Test
    void decodingRoundTripsRandomParts() {
        long seed = System.nanoTime();
        System.out.println("KSortedIdTest.decodingRoundTripsRandomParts seed=" + seed);
        Random random = new Random(seed);
        for (int i = 0; i < 10_000; i++) {
            long unix = KSortedId.EPOCH_MILLIS + (random.nextLong() & KSortedId.MAX_TIMESTAMP);
            int shortId = random.nextInt(1024);
            int sequence = random.nextInt(4096);
            long id = KSortedId.of(unix, shortId, sequence);

            assertThat(id).as("seed %d", seed).isNotNegative();
            assertThat(KSortedId.unixMillis(id)).as("seed %d", seed).isEqualTo(unix);
            assertThat(KSortedId.shortId(id)).as("seed %d", seed).isEqualTo(shortId);
            assertThat(KSortedId.sequence(id)).as("seed %d", seed).isEqualTo(sequence);
        }
    }

    @Test
    void idsSortByTimeFirst() {
        long t = Instant.parse("2030-06-01T00:00:00Z").toEpochMilli();
        assertThat(KSortedId.of(t, 1023, 4095)).isLessThan(KSortedId.of(t + 1, 0, 0));
        assertThat(KSortedId.of(t, 3, 4095)).isLessThan(KSortedId.of(t, 4, 0));
        assertThat(KSortedId.of(t, 3, 1)).isLessThan(KSortedId.of(t, 3, 2));
    }

    @ParameterizedTest
    @CsvSource({"-1", "1024"})
    void ofRejectsShortIdOutOfRange(int shortId) {
        assertThatThrownBy(() -> KSortedId.of(KSortedId.EPOCH_MILLIS, shortId, 0))
                .isInstanceOfSatisfying(
                        ShuttleException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("shortId " + shortId + " is out of range")
                .hasMessageContaining("between 0 and 1023");
    }

    @ParameterizedTest
    @CsvSource({"-1", "4096"})
    void ofRejectsSequenceOutOfRange(int sequence) {
        assertThatThrownBy(() -> KSortedId.of(KSortedId.EPOCH_MILLIS, 0, sequence))
                .isInstanceOfSatisfying(
                        ShuttleException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("sequence " + sequence + " is out of range")
                .hasMessageContaining("between 0 and 4095");
    }

    @Test
    void ofRejectsTimesOutsideTheRange() {
        assertThatThrownBy(() -> KSortedId.of(KSortedId.EPOCH_MILLIS - 1, 0, 0))
                .isInstanceOfSatisfying(
                        ShuttleException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("2024-12-31T23:59:59.999Z")
                .hasMessageContaining("between 2025-01-01T00:00:00Z and 2094-09-07T15:47:35.551Z");
        assertThatThrownBy(() -> KSortedId.of(MAX_UNIX_MILLIS + 1, 0, 0))
                .isInstanceOf(ShuttleException.class)
                .hasMessageContaining("2094-09-07T15:47:35.552Z");
    }

    @Test
    void decodersRejectNegativeValues() {
        assertThatThrownBy(() -> KSortedId.timestamp(-1))
                .isInstanceOfSatisfying(
                        ShuttleException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("never negative");
        assertThatThrownBy(() -> KSortedId.shortId(Long.MIN_VALUE)).isInstanceOf(ShuttleException.class);
        assertThatThrownBy(() -> KSortedId.sequence(-42)).isInstanceOf(ShuttleException.class);
    }
}
