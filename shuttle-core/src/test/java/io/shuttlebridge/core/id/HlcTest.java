package io.shuttlebridge.core.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class HlcTest {

    private static final long T = Instant.parse("2026-11-23T14:45:00.123Z").toEpochMilli(); // 1,795,445,100,123

    @Test
    void packsMillisAboveA16BitCounter() {
        long hlc = Hlc.pack(T, 7);

        assertThat(hlc).isEqualTo(T * 65_536 + 7);
        assertThat(Hlc.millis(hlc)).isEqualTo(T);
        assertThat(Hlc.counter(hlc)).isEqualTo(7);
        assertThat(Hlc.instant(hlc)).isEqualTo(Instant.parse("2026-11-23T14:45:00.123Z"));
        assertThat(Hlc.pack(T, 65_535)).isLessThan(Hlc.pack(T + 1, 0));
    }

    @Test
    void packRejectsPartsOutOfRange() {
        assertThatThrownBy(() -> Hlc.pack(-1, 0))
                .isInstanceOfSatisfying(
                        ShuttleException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("between 0 and 140737488355327");
        assertThatThrownBy(() -> Hlc.pack(Hlc.MAX_MILLIS + 1, 0)).isInstanceOf(ShuttleException.class);
        assertThatThrownBy(() -> Hlc.pack(T, 65_536))
                .isInstanceOf(ShuttleException.class)
                .hasMessageContaining("counter 65536 is out of range");
        assertThatThrownBy(() -> Hlc.pack(T, -1)).isInstanceOf(ShuttleException.class);
        assertThat(Hlc.pack(Hlc.MAX_MILLIS, Hlc.MAX_COUNTER)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void negativeValuesAreNotTimestamps() {
        assertThatThrownBy(() -> Hlc.millis(-1))
                .isInstanceOf(ShuttleException.class)
                .hasMessageContaining("never negative");
        assertThatThrownBy(() -> Hlc.counter(-1)).isInstanceOf(ShuttleException.class);
        assertThatThrownBy(() -> Hlc.encode(Long.MIN_VALUE)).isInstanceOf(ShuttleException.class);
    }

    @Test
    void encodesAsSixteenLowercaseHexDigits() {
        // T = 1,795,445,100,123 = 0x01a208de0e5b; counter 7 = 0x0007.
        assertThat(Hlc.encode(Hlc.pack(T, 7))).isEqualTo("01a208de0e5b0007");
        assertThat(Hlc.encode(0)).isEqualTo("0000000000000000");
        assertThat(Hlc.encode(Long.MAX_VALUE)).isEqualTo("7fffffffffffffff");
        assertThat(Hlc.decode("01a208de0e5b0007")).isEqualTo(Hlc.pack(T, 7));
    }

    @Test
    void encodingRoundTripsAndPreservesOrderOverRandomValues() {
        long seed = System.nanoTime();
        System.out.println("HlcTest.encodingRoundTripsAndPreservesOrderOverRandomValues seed=" + seed);
        Random random = new Random(seed);
        long[] values = new long[20_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = switch (i % 3) {
                case 0 -> random.nextLong() & Long.MAX_VALUE; // anywhere in the range
                case 1 -> Hlc.pack(T + random.nextInt(1_000), random.nextInt(4)); // close together, realistic
                default -> random.nextInt(70_000); // small: many leading zeros
            };
        }

        String[] encoded = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            encoded[i] = Hlc.encode(values[i]);
            assertThat(encoded[i]).as("seed %d", seed).hasSize(16).matches("[0-9a-f]{16}");
            assertThat(Hlc.decode(encoded[i])).as("seed %d", seed).isEqualTo(values[i]);
        }
        for (int i = 1; i < values.length; i++) {
            assertThat(Integer.signum(encoded[i - 1].compareTo(encoded[i])))
                    .as("seed %d: %s vs %s", seed, encoded[i - 1], encoded[i])
                    .isEqualTo(Long.signum(Long.compare(values[i - 1], values[i])));
        }
        long[] numericOrder = values.clone();
        Arrays.sort(numericOrder);
        String[] stringOrder = encoded.clone();
        Arrays.sort(stringOrder, Comparator.naturalOrder());
        assertThat(Arrays.stream(stringOrder).mapToLong(Hlc::decode).toArray())
                .as("seed %d", seed)
                .isEqualTo(numericOrder);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(
            strings = {
                "01a208de0e5b000", // 15 characters
                "01a208de0e5b00070", // 17 characters
                "01A208DE0E5B0007", // uppercase
                "01a208de0e5g0007", // not hexadecimal
                " 1a208de0e5b0007", // space
                "8000000000000000", // negative as a long
            })
    void decodeRejectsMalformedInputClearly(String text) {
        assertThatThrownBy(() -> Hlc.decode(text))
                .isInstanceOfSatisfying(
                        ShuttleException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageStartingWith("Malformed HLC ")
                .hasMessageContaining("expected exactly 16 lowercase hexadecimal digits");
    }

    @Test
    void decodeSaysWhatIsWrong() {
        assertThatThrownBy(() -> Hlc.decode("abc")).hasMessageContaining("got 3 characters");
        assertThatThrownBy(() -> Hlc.decode("01a208de0e5g0007")).hasMessageContaining("character 12 'g'");
        assertThatThrownBy(() -> Hlc.decode("8000000000000000")).hasMessageContaining("first digit must be 0-7");
    }

    @Test
    void humanFormShowsUtcMillisAndCounter() {
        assertThat(Hlc.toString(Hlc.pack(T, 7))).isEqualTo("2026-11-23T14:45:00.123Z#0007");
        assertThat(Hlc.toString(Hlc.pack(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli(), 0)))
                .isEqualTo("2026-01-01T00:00:00.000Z#0000");
        assertThat(Hlc.toString(Hlc.pack(T, 65_535))).isEqualTo("2026-11-23T14:45:00.123Z#ffff");
    }
}
