package io.shuttlebridge.bridge.internal.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The parser's fast path gives exactly what {@code new BigDecimal(text)} gives, or declines. */
class NumericParsingTest {

    @Test
    void fastPathAgreesWithBigDecimal() {
        long seed = System.nanoTime();
        System.out.println("NumericParsingTest.fastPathAgreesWithBigDecimal seed=" + seed);
        SplittableRandom random = new SplittableRandom(seed);
        String alphabet = "0123456789.-+e ";
        for (int i = 0; i < 200_000; i++) {
            StringBuilder s = new StringBuilder();
            int n = random.nextInt(1, 22);
            for (int k = 0; k < n; k++) {
                s.append(
                        k > 0 && random.nextInt(4) > 0
                                ? (char) ('0' + random.nextInt(10))
                                : alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String text = s.toString();
            BigDecimal quick = NumericParsing.plainDecimal(text);
            if (quick != null) {
                BigDecimal exact = new BigDecimal(text);
                assertThat(quick).as(text).isEqualTo(exact);
                assertThat(quick.scale()).as(text).isEqualTo(exact.scale());
            }
        }
        assertThat(NumericParsing.plainDecimal("-")).isNull();
        assertThat(NumericParsing.plainDecimal(".")).isNull();
        assertThat(NumericParsing.plainDecimal("1.2.3")).isNull();
        assertThat(NumericParsing.plainDecimal("1234567890123456789")).isNull();
        assertThat(NumericParsing.plainDecimal("5.")).isEqualTo(new BigDecimal("5."));
        assertThat(NumericParsing.plainDecimal(".50")).isEqualTo(new BigDecimal(".50"));
    }
}
