package io.shuttlebridge.bridge.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Key arrays: the direct encoding of longs and plain strings is the JSON Jackson writes, and reads back. */
class RowCodecTest {

    @Test
    void simpleKeysAreTheSameJsonAsJacksonWrites() throws Exception {
        long seed = System.nanoTime();
        System.out.println("RowCodecTest.simpleKeysAreTheSameJsonAsJacksonWrites seed=" + seed);
        SplittableRandom random = new SplittableRandom(seed);
        ObjectMapper json = new ObjectMapper();
        for (int i = 0; i < 20_000; i++) {
            Object[] key = new Object[random.nextInt(1, 4)];
            for (int k = 0; k < key.length; k++) {
                key[k] = random.nextBoolean() ? (Object) (random.nextLong() >> random.nextInt(64)) : text(random);
            }
            String encoded = RowCodec.encodeArray(key);
            assertThat(encoded).isEqualTo(json.writeValueAsString(Arrays.asList(key)));
            assertThat(RowCodec.decodeArray(encoded)).containsExactly(key);
        }
        assertThat(RowCodec.decodeArray(
                        RowCodec.encodeArray(new Object[] {new BigDecimal("1.50"), LocalDate.of(2024, 2, 29), null})))
                .containsExactly(new BigDecimal("1.50"), LocalDate.of(2024, 2, 29), null);
    }

    private static String text(SplittableRandom random) {
        String chars = "abcXYZ 019-_\"\\/\u00e9\u20ac\t";
        StringBuilder s = new StringBuilder();
        for (int i = random.nextInt(10); i > 0; i--) {
            s.append(chars.charAt(random.nextInt(chars.length())));
        }
        return s.toString();
    }
}
