package io.shuttlebridge.bridge.internal.normalize;

import io.shuttlebridge.bridge.definition.CleaningSpec;
import java.text.Normalizer;
import java.text.Normalizer.Form;

/** Layer 2: trim, Unicode NFC, control characters (tab/CR/LF become spaces, others go), empty to null. */
final class StringCleaning implements NormalizerLayer {
    private final CleaningSpec spec;

    StringCleaning(CleaningSpec spec) {
        this.spec = spec;
    }

    @Override
    public String name() {
        return "string-cleaning";
    }

    @Override
    public Object apply(int field, Object value) {
        if (!(value instanceof String s)) {
            return value;
        }
        if (spec.stripControl()) {
            s = stripControl(s);
        }
        if (spec.nfc() && !isAscii(s) && !Normalizer.isNormalized(s, Form.NFC)) {
            s = Normalizer.normalize(s, Form.NFC);
        }
        if (spec.trim()) {
            s = s.strip();
        }
        if (spec.emptyToNull() && s.isEmpty()) {
            return null;
        }
        return s;
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    static String stripControl(String s) {
        int i = 0;
        while (i < s.length() && !isControl(s.charAt(i))) {
            i++;
        }
        if (i == s.length()) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length()).append(s, 0, i);
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\t' || c == '\n' || c == '\r') {
                out.append(' ');
            } else if (!isControl(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == '\u200B' || c == '\uFEFF';
    }
}
