package io.shuttlebridge.bridge.internal.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The direct encodings of numbers, text and dates give exactly the bytes of the documented text form. */
class CanonicalTest {

    @Test
    void fastPathsMatchTheTextForm() {
        long seed = System.nanoTime();
        System.out.println("CanonicalTest.fastPathsMatchTheTextForm seed=" + seed);
        SplittableRandom random = new SplittableRandom(seed);
        Canonical c = new Canonical();
        for (int i = 0; i < 200_000; i++) {
            Object value = switch (i % 6) {
                case 0 -> random.nextLong() >> random.nextInt(64);
                case 1 ->
                    new BigDecimal(BigInteger.valueOf(random.nextLong() >> random.nextInt(64)), random.nextInt(-6, 24));
                case 2 ->
                    new BigDecimal(
                            BigInteger.valueOf(random.nextInt(-1000, 1000))
                                    .multiply(BigInteger.TEN.pow(random.nextInt(4))),
                            random.nextInt(0, 6));
                case 3 -> LocalDate.ofEpochDay(random.nextLong(-800_000, 3_000_000));
                case 4 -> random.nextInt();
                default -> randomText(random);
            };
            c.reset();
            c.append("f", value);
            String expected =
                    "1:f" + tag(value) + text(value).getBytes(StandardCharsets.UTF_8).length + ":" + text(value);
            assertThat(new String(c.toBytes(), StandardCharsets.UTF_8))
                    .as("%s (%s)", value, value.getClass().getSimpleName())
                    .isEqualTo(expected);
        }
    }

    @Test
    void edgeValues() {
        for (Object v : new Object[] {
            Long.MIN_VALUE,
            Long.MAX_VALUE,
            0L,
            -1L,
            BigDecimal.ZERO,
            new BigDecimal("0.000"),
            new BigDecimal("-0.050"),
            new BigDecimal("1E+5"),
            new BigDecimal("123456789012345678901234.5"),
            new BigDecimal("1E-30"),
            LocalDate.of(0, 1, 1),
            LocalDate.of(-5, 3, 1),
            LocalDate.of(10000, 1, 1),
            "",
            "é",
            "a\u0000b"
        }) {
            Canonical c = new Canonical();
            c.append("f", v);
            String expected = "1:f" + tag(v) + text(v).getBytes(StandardCharsets.UTF_8).length + ":" + text(v);
            assertThat(new String(c.toBytes(), StandardCharsets.UTF_8))
                    .as("%s", v)
                    .isEqualTo(expected);
        }
    }

    private static String randomText(SplittableRandom random) {
        StringBuilder s = new StringBuilder();
        int n = random.nextInt(12);
        for (int i = 0; i < n; i++) {
            s.append(random.nextInt(10) == 0 ? (char) random.nextInt(0x80, 0x3000) : (char) random.nextInt(0x20, 0x7f));
        }
        return s.toString();
    }

    private static char tag(Object v) {
        return v instanceof LocalDate ? 'd' : v instanceof String ? 's' : 'n';
    }

    private static String text(Object v) {
        return v instanceof BigDecimal d ? Canonical.number(d) : v.toString();
    }
}
