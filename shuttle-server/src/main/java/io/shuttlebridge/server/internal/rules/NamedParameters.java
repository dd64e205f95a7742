package io.shuttlebridge.server.internal.rules;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A predicate's claims ({@code :sub}, {@code :tenant}) as JDBC parameters: never spliced into the
 * SQL. A claim that holds a list becomes one parameter per element ({@code IN (:projects)}), an
 * empty list {@code NULL} (no row matches). Names inside string literals, quoted identifiers and
 * comments are left alone, and so is PostgreSQL's {@code ::} cast.
 */
public final class NamedParameters {
    private final List<String> fragments;
    private final List<String> names;

    private NamedParameters(List<String> fragments, List<String> names) {
        this.fragments = fragments;
        this.names = names;
    }

    /** The SQL with the parameters it names, in order. */
    public static NamedParameters parse(String sql) {
        List<String> fragments = new ArrayList<>();
        List<String> names = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char ch = sql.charAt(i);
            if (ch == '\'' || ch == '"') {
                int end = closing(sql, i, ch);
                current.append(sql, i, end);
                i = end;
            } else if (ch == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                end = end < 0 ? n : end;
                current.append(sql, i, end);
                i = end;
            } else if (ch == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                current.append(sql, i, end);
                i = end;
            } else if (ch == ':' && i + 1 < n && sql.charAt(i + 1) == ':') {
                current.append("::");
                i += 2;
            } else if (ch == ':' && i + 1 < n && isStart(sql.charAt(i + 1))) {
                int end = i + 1;
                while (end < n && isPart(sql.charAt(end))) {
                    end++;
                }
                fragments.add(current.toString());
                current.setLength(0);
                names.add(sql.substring(i + 1, end));
                i = end;
            } else {
                current.append(ch);
                i++;
            }
        }
        fragments.add(current.toString());
        return new NamedParameters(List.copyOf(fragments), List.copyOf(names));
    }

    /** The names of the parameters, each once, in order of first use. */
    public List<String> names() {
        return List.copyOf(new LinkedHashSet<>(names));
    }

    /** SQL with {@code ?} placeholders, and the values to bind, for the given claims. */
    public Bound bind(Map<String, Object> claims) {
        StringBuilder sql = new StringBuilder(fragments.get(0));
        List<Object> args = new ArrayList<>();
        for (int p = 0; p < names.size(); p++) {
            Object v = claims.get(names.get(p));
            if (v instanceof List<?> list) {
                if (list.isEmpty()) {
                    sql.append("NULL");
                } else {
                    for (int k = 0; k < list.size(); k++) {
                        sql.append(k == 0 ? "?" : ", ?");
                        args.add(scalar(list.get(k)));
                    }
                }
            } else {
                sql.append('?');
                args.add(scalar(v));
            }
            sql.append(fragments.get(p + 1));
        }
        return new Bound(sql.toString(), args);
    }

    /** SQL ready for a prepared statement and its arguments in order. */
    public record Bound(String sql, List<Object> args) {}

    /** Claims are strings, numbers and booleans; anything else is bound as its JSON-ish text. */
    private static Object scalar(Object v) {
        if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) {
            return v;
        }
        return String.valueOf(v);
    }

    private static int closing(String sql, int start, char quote) {
        int i = start + 1;
        while (i < sql.length()) {
            if (sql.charAt(i) == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2; // doubled quote: an escaped one
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return sql.length();
    }

    private static boolean isStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    private static boolean isPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }
}
