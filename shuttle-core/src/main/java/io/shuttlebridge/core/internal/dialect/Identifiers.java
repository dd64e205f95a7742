package io.shuttlebridge.core.internal.dialect;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import java.util.regex.Pattern;

/** Identifier and URL helpers shared by the dialects. */
public final class Identifiers {
    private static final Pattern PASSWORD = Pattern.compile("(?i)(password=)[^&;]*");
    private static final Pattern USER_INFO = Pattern.compile("(//[^/@:]*:)[^/@]*@");

    private Identifiers() {}

    /** ANSI double-quote quoting: embedded quotes doubled; NUL refused (no database accepts it). */
    public static String doubleQuote(String identifier) {
        if (identifier == null || identifier.isEmpty()) {
            throw new ShuttleException(ErrorCode.INVALID_ARGUMENT, "an identifier must not be empty");
        }
        if (identifier.indexOf('\0') >= 0) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT,
                    "identifier contains a NUL character: " + identifier.replace("\0", "\\0"));
        }
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** Single-quoted SQL string literal. */
    public static String literal(String value) {
        return '\'' + value.replace("'", "''") + '\'';
    }

    /** Hides passwords in JDBC URLs before they reach a message or a log. */
    public static String redactUrl(String url) {
        if (url == null) {
            return null;
        }
        return USER_INFO.matcher(PASSWORD.matcher(url).replaceAll("$1***")).replaceAll("$1***@");
    }
}
