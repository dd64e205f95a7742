package io.shuttlebridge.bench.load;

import java.nio.charset.StandardCharsets;

/**
 * Reads the few numbers the load generator needs from the hub's answers (a push's {@code hubSeq},
 * a page's {@code next}) by scanning bytes for the field, without parsing the whole document: the
 * generator must not spend the cores it shares with the hub on decoding pages it only counts.
 */
final class JsonScan {
    private JsonScan() {}

    /** The number after the last {@code "field":} in the body; {@code missing} when the field is not there. */
    static long lastNumber(byte[] body, String field, long missing) {
        byte[] name = ("\"" + field + "\":").getBytes(StandardCharsets.US_ASCII);
        int at = lastIndexOf(body, name);
        return at < 0 ? missing : number(body, at + name.length, missing);
    }

    /** The number after the first {@code "field":} in the body; {@code missing} when the field is not there. */
    static long firstNumber(byte[] body, String field, long missing) {
        byte[] name = ("\"" + field + "\":").getBytes(StandardCharsets.US_ASCII);
        int at = indexOf(body, name, 0);
        return at < 0 ? missing : number(body, at + name.length, missing);
    }

    /** The text after the first {@code "field":"}, up to the next quote; null when the field is not there. */
    static String firstText(byte[] body, String field) {
        byte[] name = ("\"" + field + "\":\"").getBytes(StandardCharsets.US_ASCII);
        int at = indexOf(body, name, 0);
        if (at < 0) {
            return null;
        }
        int from = at + name.length;
        int end = from;
        while (end < body.length && body[end] != '"') {
            end++;
        }
        return new String(body, from, end - from, StandardCharsets.UTF_8);
    }

    /**
     * How many times {@code text} (ASCII) occurs in the body. The body is searched as a Latin-1 string, whose
     * search the JVM runs with vector instructions: on a pull page of 500 changes about three times faster
     * than a loop over bytes, which took about 40% of the generator's CPU samples with 50 devices.
     */
    static int count(byte[] body, String text) {
        String s = new String(body, StandardCharsets.ISO_8859_1);
        int n = 0;
        for (int at = s.indexOf(text); at >= 0; at = s.indexOf(text, at + text.length())) {
            n++;
        }
        return n;
    }

    /** The number a stream message carries ({@code {"hubSeq":42}}): the first run of digits; -1 when none. */
    static long digits(CharSequence s) {
        long v = -1;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                v = (v < 0 ? 0 : v * 10) + (c - '0');
            } else if (v >= 0) {
                break;
            }
        }
        return v;
    }

    private static long number(byte[] b, int from, long missing) {
        int i = from;
        while (i < b.length && b[i] == ' ') {
            i++;
        }
        boolean negative = i < b.length && b[i] == '-';
        if (negative) {
            i++;
        }
        long v = 0;
        int start = i;
        while (i < b.length && b[i] >= '0' && b[i] <= '9') {
            v = v * 10 + (b[i] - '0');
            i++;
        }
        return i == start ? missing : negative ? -v : v;
    }

    static int indexOf(byte[] b, byte[] p, int from) {
        outer:
        for (int i = from; i <= b.length - p.length; i++) {
            for (int j = 0; j < p.length; j++) {
                if (b[i + j] != p[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static int lastIndexOf(byte[] b, byte[] p) {
        outer:
        for (int i = b.length - p.length; i >= 0; i--) {
            for (int j = 0; j < p.length; j++) {
                if (b[i + j] != p[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
