package io.shuttlebridge.core.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Well-formed UTF-8 passes; overlong forms, surrogates, truncations, stray bytes and NUL do not. */
class Utf8Test {
    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":1}", "café", "日本語", "𝄞 clef", "\u007f", "\u0080", "\uffff", "\udbff\udfff"})
    void wellFormedTextPasses(String text) {
        assertThat(Utf8.firstInvalid(text.getBytes(StandardCharsets.UTF_8))).isEqualTo(-1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "7b00, 1", // NUL
        "2fc0af, 1", // '/' written in two bytes
        "c1bf, 0", // overlong lead
        "e080af, 0", // '/' written in three bytes
        "f08080af, 0", // '/' written in four bytes
        "eda080, 0", // a surrogate (U+D800)
        "f4908080, 0", // past U+10FFFF
        "f5808080, 0",
        "ff, 0",
        "80, 0", // a continuation byte first
        "41c3, 1", // truncated
        "e282, 0", // truncated
        "c328, 0", // a second byte that is not a continuation
        "e282e2, 0",
        "00fe007b, 0", // UTF-16: NUL bytes
    })
    void malformedBytesAreFound(String hex, int at) {
        assertThat(Utf8.firstInvalid(HexFormat.of().parseHex(hex))).isEqualTo(at);
    }
}
