package io.shuttlebridge.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationTextTest {
    @ParameterizedTest(name = "{0} ms => {1}")
    @CsvSource({
        "0, 0 ms",
        "750, 750 ms",
        "-1500, 2 s",
        "1499, 1 s",
        "90000, 1 min 30 s",
        "599700, 10 min",
        "600600, 10 min 1 s",
        "3599999, 1 h",
        "86399999, 1 d",
        "315532799000, 3652 d",
        "315529200000, 3651 d 23 h"
    })
    void twoUnitsRounded(long millis, String text) {
        assertThat(DurationText.of(millis)).isEqualTo(text);
    }
}
