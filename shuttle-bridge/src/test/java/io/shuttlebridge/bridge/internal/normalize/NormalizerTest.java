package io.shuttlebridge.bridge.internal.normalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shuttlebridge.bridge.definition.CleaningSpec;
import io.shuttlebridge.bridge.definition.FieldSpec;
import io.shuttlebridge.bridge.definition.FieldType;
import io.shuttlebridge.bridge.internal.record.RecordRejection;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class NormalizerTest {
    static Normalizer of(FieldSpec... fields) {
        List<FieldSpec> f = List.of(fields);
        return new Normalizer(List.of(
                new TypeCoercion(f),
                new StringCleaning(CleaningSpec.DEFAULT),
                new NumericParsing(f),
                new DateTimeStandardization(f),
                new FieldTransformations(f)));
    }

    static Object one(FieldSpec f, Object value) {
        return of(f).normalize(new Object[] {value})[0];
    }

    @Test
    void cleansStrings() {
        FieldSpec s = FieldSpec.of("s", FieldType.STRING);
        assertThat(one(s, "  Anna\u0000 \t")).isEqualTo("Anna");
        assertThat(one(s, "Cafe\u0301")).isEqualTo("Caf\u00e9");
        assertThat(one(s, "   ")).isNull();
        assertThat(one(s, new BigDecimal("1.50"))).isEqualTo("1.50");
    }

    @Test
    void parsesLocaleDecimalsExactly() {
        FieldSpec de =
                new FieldSpec("d", FieldType.DECIMAL, Locale.forLanguageTag("de-DE"), List.of(), null, null, List.of());
        assertThat(one(de, "1.234,56")).isEqualTo(new BigDecimal("1234.56"));
        assertThat(one(de, "-0,1")).isEqualTo(new BigDecimal("-0.1"));
        assertThatThrownBy(() -> one(de, "1.234.5"))
                .isInstanceOf(RecordRejection.class)
                .hasMessageContaining("d: '1.234.5'");
        FieldSpec plain = FieldSpec.of("p", FieldType.DECIMAL);
        assertThat(one(plain, "0.1")).isEqualTo(new BigDecimal("0.1"));
        assertThat(one(plain, 0.1d)).isEqualTo(new BigDecimal("0.1"));
        assertThatThrownBy(() -> one(plain, "12abc")).isInstanceOf(RecordRejection.class);
        assertThat(one(FieldSpec.of("i", FieldType.INTEGER), "42")).isEqualTo(42L);
        assertThat(one(FieldSpec.of("b", FieldType.BOOLEAN), "Yes")).isEqualTo(true);
    }

    @Test
    void datesNeedExplicitFormatsAndZones() {
        FieldSpec d = new FieldSpec("d", FieldType.DATE, null, List.of("dd.MM.yyyy"), null, null, List.of());
        assertThat(one(d, "03.04.2024")).isEqualTo(LocalDate.of(2024, 4, 3));
        assertThatThrownBy(() -> one(d, "31.02.2024")).isInstanceOf(RecordRejection.class);
        assertThatThrownBy(() -> one(FieldSpec.of("iso", FieldType.DATE), "03/04/2024"))
                .hasMessageContaining("is not a valid date ISO 8601");
        FieldSpec ts = new FieldSpec(
                "t",
                FieldType.TIMESTAMP,
                null,
                List.of("yyyy-MM-dd HH:mm"),
                ZoneId.of("Europe/Berlin"),
                null,
                List.of());
        assertThat(one(ts, "2024-07-01 12:00")).isEqualTo(Instant.parse("2024-07-01T10:00:00Z"));
        assertThat(one(FieldSpec.of("o", FieldType.TIMESTAMP), "2024-07-01T12:00:00+02:00"))
                .isEqualTo(Instant.parse("2024-07-01T10:00:00Z"));
        assertThatThrownBy(() -> one(FieldSpec.of("n", FieldType.TIMESTAMP), "2024-07-01T12:00:00"))
                .hasMessageContaining("has no offset and the field declares no zone");
    }

    @Test
    void transformsAndScale() {
        FieldSpec up =
                new FieldSpec("u", FieldType.STRING, null, List.of(), null, null, List.of(FieldSpec.Transform.UPPER));
        assertThat(one(up, " abc ")).isEqualTo("ABC");
        FieldSpec sc = new FieldSpec("m", FieldType.DECIMAL, null, List.of(), null, 2, List.of());
        assertThat(one(sc, "2.345")).isEqualTo(new BigDecimal("2.34"));
    }
}
