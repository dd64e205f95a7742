package io.shuttlebridge.core.internal.dialect.sqlite;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Parses what SQLite's {@code quote()} produces, joined by commas: {@code NULL}, integers,
 * reals, {@code 'text'} with doubled quotes, and {@code X'hex'} blobs. Used for composite keys.
 */
final class SqlLiterals {
    private SqlLiterals() {}

    static List<Object> parseList(String text, int expected) {
        List<Object> out = new ArrayList<>(expected);
        int i = 0;
        int n = text.length();
        while (i <= n) {
            if (i < n && text.charAt(i) == '\'') {
                StringBuilder sb = new StringBuilder();
                i++;
                while (true) {
                    if (i >= n) {
                        throw malformed(text);
                    }
                    char ch = text.charAt(i);
                    if (ch == '\'') {
                        if (i + 1 < n && text.charAt(i + 1) == '\'') {
                            sb.append('\'');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    sb.append(ch);
                    i++;
                }
                out.add(sb.toString());
            } else if (i + 1 < n && (text.charAt(i) == 'X' || text.charAt(i) == 'x') && text.charAt(i + 1) == '\'') {
                int end = text.indexOf('\'', i + 2);
                if (end < 0) {
                    throw malformed(text);
                }
                out.add(HexFormat.of().parseHex(text.substring(i + 2, end)));
                i = end + 1;
            } else {
                int end = text.indexOf(',', i);
                String token = end < 0 ? text.substring(i) : text.substring(i, end);
                out.add(number(token, text));
                i = end < 0 ? n : end;
            }
            if (i == n) {
                break;
            }
            if (text.charAt(i) != ',') {
                throw malformed(text);
            }
            i++;
        }
        if (out.size() != expected) {
            throw new ShuttleException(
                    ErrorCode.INTERNAL, "stored key " + text + " has " + out.size() + " parts, expected " + expected);
        }
        return out;
    }

    private static Object number(String token, String whole) {
        if (token.equals("NULL")) {
            return null;
        }
        try {
            if (token.indexOf('.') >= 0
                    || token.indexOf('e') >= 0
                    || token.indexOf('E') >= 0
                    || token.contains("Inf")) {
                return token.contains("Inf")
                        ? (token.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY)
                        : Double.parseDouble(token);
            }
            return Long.parseLong(token);
        } catch (NumberFormatException e) {
            throw new ShuttleException(ErrorCode.INTERNAL, "cannot parse stored composite key: " + whole, e);
        }
    }

    private static ShuttleException malformed(String text) {
        return new ShuttleException(ErrorCode.INTERNAL, "cannot parse stored composite key: " + text);
    }
}
