package io.shuttlebridge.core.internal.protocol;

/**
 * Checks that a body is in JSON text's encoding, well-formed UTF-8 (RFC 3629, RFC 8259 §8.1):
 * no overlong forms (a '/' written in two bytes slips past filters that look for '/'), no
 * surrogates, nothing past U+10FFFF, no truncated sequence, and no NUL byte (JSON text never holds
 * one raw; a body with them is UTF-16 or UTF-32, which the JSON parser would otherwise read). The
 * JSON parser's own checks are not enough: it reads overlong forms, and it may take a field name it
 * has met before from its table of names without looking at its bytes again.
 */
public final class Utf8 {
    private Utf8() {}

    /** The index of the first byte that breaks the rules, or -1 when there is none. */
    public static int firstInvalid(byte[] b) {
        int i = 0;
        int n = b.length;
        while (i < n) {
            int c = b[i];
            if (c > 0) {
                i++;
                continue;
            }
            if (c == 0) {
                return i;
            }
            c &= 0xFF;
            int len;
            int min = 0x80;
            int max = 0xBF;
            if (c >= 0xC2 && c <= 0xDF) {
                len = 2;
            } else if (c >= 0xE0 && c <= 0xEF) {
                len = 3;
                if (c == 0xE0) {
                    min = 0xA0; // below: an overlong form
                } else if (c == 0xED) {
                    max = 0x9F; // above: a surrogate
                }
            } else if (c >= 0xF0 && c <= 0xF4) {
                len = 4;
                if (c == 0xF0) {
                    min = 0x90; // below: an overlong form
                } else if (c == 0xF4) {
                    max = 0x8F; // above: past U+10FFFF
                }
            } else {
                return i; // a continuation byte first, an overlong lead (C0, C1) or past U+10FFFF (F5-FF)
            }
            if (i + len > n) {
                return i;
            }
            int second = b[i + 1] & 0xFF;
            if (second < min || second > max) {
                return i;
            }
            for (int k = 2; k < len; k++) {
                int next = b[i + k] & 0xFF;
                if (next < 0x80 || next > 0xBF) {
                    return i;
                }
            }
            i += len;
        }
        return -1;
    }
}
