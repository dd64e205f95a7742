package io.shuttlebridge.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RowValuesTest {
    @Test
    void valuesCompareAsASqliteDeviceHoldsThem() {
        assertThat(RowValues.normalize(7)).isEqualTo(7L);
        assertThat(RowValues.normalize(true)).isEqualTo(1L);
        assertThat(RowValues.normalize(new BigDecimal("12.50"))).isEqualTo(12.5);
        assertThat(RowValues.normalize(new BigDecimal("12.00"))).isEqualTo(12L);
        assertThat(RowValues.normalize(new BigDecimal("0.1"))).isEqualTo(0.1);
        assertThat(RowValues.normalize(new BigDecimal("123456789012345678901234567890.123")))
                .isEqualTo("123456789012345678901234567890.123");
        assertThat(RowValues.normalize(1.5f)).isEqualTo(1.5);
    }

    @Test
    void blobsAreEqualByContent() {
        byte[] a = {1, 2, (byte) 0xff};
        Object x = RowValues.normalize(a);
        Object y = RowValues.normalize(Arrays.copyOf(a, 3));
        assertThat(x).isEqualTo(y).hasSameHashCodeAs(y).hasToString("X'0102ff'");
        assertThat(RowValues.normalize(new byte[] {1})).isNotEqualTo(x);
        assertThat(SqlText.literal(x)).isEqualTo("X'0102ff'");
    }

    @Test
    void keysAndRowsReadWell() {
        assertThat(RowValues.showKey(List.of("order", "line"), Arrays.asList(3L, "a'b")))
                .isEqualTo("(order=3, line='a'b')");
        assertThat(RowValues.show(null)).isEqualTo("NULL");
        assertThat(SqlText.where(List.of("a", "b\"c"), Arrays.asList(1L, null)))
                .isEqualTo("\"a\" = 1 AND \"b\"\"c\" IS NULL");
        assertThat(SqlText.literal("it's")).isEqualTo("'it''s'");
    }
}
