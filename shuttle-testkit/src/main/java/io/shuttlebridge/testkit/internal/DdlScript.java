package io.shuttlebridge.testkit.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits an SQL script into statements at the semicolons that end them: not inside quotes
 * ({@code '...'}, {@code "..."}, {@code `...`}, {@code [...]}), comments ({@code --} and
 * {@code /* *}{@code /}), or the {@code BEGIN ... END} body of a {@code CREATE TRIGGER} (with its
 * {@code CASE ... END}s). Each
 * statement keeps the line it starts on, so an error can point at it.
 */
public final class DdlScript {
    private DdlScript() {}

    /** One statement of a script, without its final semicolon, and the 1-based line it starts on. */
    public record Statement(int line, String sql) {
        /** The statement on one line, shortened to about 100 characters. */
        public String summary() {
            String one = sql.replaceAll("\\s+", " ").strip();
            return one.length() <= 100 ? one : one.substring(0, 97) + "...";
        }
    }

    public static List<Statement> split(String script) {
        List<Statement> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int line = 1;
        int startLine = -1;
        int depth = 0; // BEGIN ... END nesting inside a trigger body
        int i = 0;
        int n = script.length();
        while (i < n) {
            char c = script.charAt(i);
            int end = skip(script, i);
            if (end > i + 1 || isQuote(c)) {
                String part = script.substring(i, end);
                if (c != '-' && c != '/' && startLine < 0) {
                    startLine = line;
                }
                if (c != '-' && c != '/') {
                    current.append(part);
                } else {
                    current.append(' ');
                }
                line += count(part, '\n');
                i = end;
                continue;
            }
            if (Character.isLetter(c)) {
                int w = i;
                while (w < n && (Character.isLetterOrDigit(script.charAt(w)) || script.charAt(w) == '_')) {
                    w++;
                }
                String word = script.substring(i, w).toUpperCase(Locale.ROOT);
                if (word.equals("BEGIN") && isTrigger(current) || word.equals("CASE") && depth > 0) {
                    depth++;
                } else if (word.equals("END") && depth > 0) {
                    depth--;
                }
                if (startLine < 0) {
                    startLine = line;
                }
                current.append(script, i, w);
                i = w;
                continue;
            }
            if (c == ';' && depth == 0) {
                add(out, current, startLine);
                current.setLength(0);
                startLine = -1;
            } else {
                if (!Character.isWhitespace(c) && startLine < 0) {
                    startLine = line;
                }
                current.append(c);
            }
            if (c == '\n') {
                line++;
            }
            i++;
        }
        add(out, current, startLine);
        return out;
    }

    private static void add(List<Statement> out, StringBuilder current, int startLine) {
        String sql = current.toString().strip();
        if (!sql.isEmpty()) {
            out.add(new Statement(startLine, sql));
        }
    }

    private static boolean isTrigger(StringBuilder statement) {
        String s = statement.toString().stripLeading().toUpperCase(Locale.ROOT);
        return s.startsWith("CREATE") && s.contains("TRIGGER");
    }

    private static boolean isQuote(char c) {
        return c == '\'' || c == '"' || c == '`' || c == '[';
    }

    /** The end of the quoted text or comment starting at {@code i}, or {@code i + 1} for any other character. */
    private static int skip(String s, int i) {
        char c = s.charAt(i);
        if (isQuote(c)) {
            char close = c == '[' ? ']' : c;
            int j = i + 1;
            while (j < s.length()) {
                if (s.charAt(j) == close) {
                    if (close != ']' && j + 1 < s.length() && s.charAt(j + 1) == close) {
                        j += 2; // a doubled quote stands for itself
                        continue;
                    }
                    return j + 1;
                }
                j++;
            }
            return s.length();
        }
        if (c == '-' && s.startsWith("--", i)) {
            int eol = s.indexOf('\n', i);
            return eol < 0 ? s.length() : eol;
        }
        if (c == '/' && s.startsWith("/*", i)) {
            int close = s.indexOf("*/", i + 2);
            return close < 0 ? s.length() : close + 2;
        }
        return i + 1;
    }

    private static int count(String s, char c) {
        int k = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == c) {
                k++;
            }
        }
        return k;
    }
}
