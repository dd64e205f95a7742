package io.shuttlebridge.core.internal.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class ColumnDefaultsTest {
    @Test
    void safeConstantsAreRead() {
        assertThat(ColumnDefaults.literal("0")).contains(0L);
        assertThat(ColumnDefaults.literal("(-1)")).contains(-1L);
        assertThat(ColumnDefaults.literal("'-1'::integer")).contains(-1L);
        assertThat(ColumnDefaults.literal("1.50")).contains(new BigDecimal("1.50"));
        assertThat(ColumnDefaults.literal("'it''s'::text")).contains("it's");
        assertThat(ColumnDefaults.literal("'x'::character varying")).contains("x");
        assertThat(ColumnDefaults.literal("'x'")).contains("x");
        assertThat(ColumnDefaults.literal("TRUE")).contains(true);
        assertThat(ColumnDefaults.literal("false")).contains(false);
    }

    @Test
    void otherDefaultsAreLeftOut() {
        assertThat(ColumnDefaults.literal("NULL")).isEmpty();
        assertThat(ColumnDefaults.literal("now()")).isEmpty();
        assertThat(ColumnDefaults.literal("CURRENT_TIMESTAMP")).isEmpty();
        assertThat(ColumnDefaults.literal("nextval('item_id_seq'::regclass)")).isEmpty();
        assertThat(ColumnDefaults.literal("'2020-01-01'::date")).isEmpty();
        assertThat(ColumnDefaults.literal("'abc'::integer")).isEmpty();
        assertThat(ColumnDefaults.literal("1 + 2")).isEmpty();
    }

    @Test
    void constantsAreWrittenAsSqlLiterals() {
        assertThat(ColumnDefaults.sql(7L)).isEqualTo("7");
        assertThat(ColumnDefaults.sql(new BigDecimal("1.5"))).isEqualTo("1.5");
        assertThat(ColumnDefaults.sql("it's")).isEqualTo("'it''s'");
        assertThat(ColumnDefaults.sql(true)).isEqualTo("1");
    }
}
