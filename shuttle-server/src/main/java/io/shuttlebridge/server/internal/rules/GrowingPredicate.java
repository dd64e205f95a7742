package io.shuttlebridge.server.internal.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Whether a read predicate can only let a subject read more rows when rows are added to the tables it
 * reads (DESIGN §9, move-in): true for the usual shapes, a column {@code IN} a sub-select or an {@code
 * EXISTS} sub-select (membership tables), joined with {@code AND}, {@code OR} and plain comparisons of
 * columns, claims and literals. Such a predicate lets a hub send a device, after rows were only added
 * to those tables, just the rows they let in: no row can have left.
 *
 * <p>The test is on the predicate's words, and conservative: anything that could turn an added row into
 * a row read no more is refused (negation, {@code EXCEPT}, {@code ALL}, {@code NULL} tests, {@code
 * CASE} and the functions that pick among values, aggregates, grouping, limits, outer joins, window
 * functions, arrays and containment), as is a sub-expression's result compared or computed with (a
 * parenthesis followed by an operator, or an operator followed by one): {@code (x IN (...)) = 0} is
 * negation in disguise. A refused predicate costs speed only: its table is reconciled whole. Internal.
 */
final class GrowingPredicate {
    private static final Set<String> REFUSED_WORDS = Set.of(
            "NOT",
            "EXCEPT",
            "MINUS",
            "ALL",
            "NULL",
            "IS",
            "ISNULL",
            "NOTNULL",
            "CASE",
            "COALESCE",
            "NULLIF",
            "IFNULL",
            "IIF",
            "IF",
            "NVL",
            "GREATEST",
            "LEAST",
            "COUNT",
            "SUM",
            "MIN",
            "MAX",
            "AVG",
            "TOTAL",
            "EVERY",
            "BOOL_AND",
            "BOOL_OR",
            "ARRAY_AGG",
            "STRING_AGG",
            "JSON_AGG",
            "JSONB_AGG",
            "JSON_OBJECT_AGG",
            "JSONB_OBJECT_AGG",
            "GROUP_CONCAT",
            "JSON_GROUP_ARRAY",
            "JSON_GROUP_OBJECT",
            "GROUP",
            "HAVING",
            "LIMIT",
            "OFFSET",
            "FETCH",
            "OVER",
            "WINDOW",
            "FILTER",
            "ARRAY",
            "FALSE",
            "ORDER",
            "WITH",
            "RECURSIVE",
            "LEFT",
            "RIGHT",
            "FULL",
            "OUTER",
            "LATERAL",
            "INTERSECT",
            "DECODE",
            "CHOOSE",
            "ELT",
            "FIELD");
    /** Words that may follow a closing parenthesis besides another one, a comma and the end. */
    private static final Set<String> AFTER_PARENTHESIS =
            Set.of("AND", "OR", "AS", "ON", "WHERE", "UNION", "JOIN", "INNER", "CROSS", "FROM", "USING");

    private GrowingPredicate() {}

    /** Whether adding rows to the tables {@code sql} reads can only make more rows satisfy it. */
    static boolean test(String sql) {
        List<String> tokens = tokens(sql);
        if (tokens == null) {
            return false;
        }
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            String prev = i == 0 ? "" : tokens.get(i - 1);
            if (isWord(t) && REFUSED_WORDS.contains(t.toUpperCase(Locale.ROOT))) {
                return false;
            }
            if (isOperator(t) && (t.contains("<>") || t.contains("!") || t.contains("@") || t.contains("~"))) {
                return false;
            }
            if (t.equals("(") && isOperator(prev)) {
                return false; // a sub-expression's value compared or computed with
            }
            if (isOperator(t) && prev.equals(")")) {
                return false;
            }
            if (prev.equals(")") && isWord(t)) {
                String w = t.toUpperCase(Locale.ROOT);
                if (!AFTER_PARENTHESIS.contains(w) && !isPlainName(t, i, tokens)) {
                    return false; // e.g. `(...) IN (...)`, `(...) LIKE ...`, `(...) BETWEEN ...`
                }
            }
            if (t.equalsIgnoreCase("EXISTS") && isOperator(prev)) {
                return false;
            }
        }
        return true;
    }

    /** Whether the word at {@code i} (after a parenthesis) is an alias: followed by a keyword, a comma, or nothing. */
    private static boolean isPlainName(String word, int i, List<String> tokens) {
        String u = word.toUpperCase(Locale.ROOT);
        if (u.equals("IN")
                || u.equals("LIKE")
                || u.equals("ILIKE")
                || u.equals("BETWEEN")
                || u.equals("GLOB")
                || u.equals("REGEXP")
                || u.equals("SIMILAR")
                || u.equals("MATCH")
                || u.equals("COLLATE")) {
            return false;
        }
        String next = i + 1 < tokens.size() ? tokens.get(i + 1) : "";
        return !isOperator(next) && !next.equals("(");
    }

    private static boolean isWord(String t) {
        return !t.isEmpty() && (Character.isLetter(t.charAt(0)) || t.charAt(0) == '_');
    }

    private static boolean isOperator(String t) {
        return !t.isEmpty() && "<>=!@~^&|+-*/%#".indexOf(t.charAt(0)) >= 0;
    }

    /**
     * The predicate's tokens: words, quoted names (as {@code "q"}), literals (as {@code 'l'} or the number),
     * parameters, operators and punctuation; comments dropped. Null when it cannot be read (an unclosed quote).
     */
    private static List<String> tokens(String sql) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char ch = sql.charAt(i);
            if (Character.isWhitespace(ch)) {
                i++;
            } else if (ch == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                while (i < n && sql.charAt(i) != '\n') {
                    i++;
                }
            } else if (ch == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                if (end < 0) {
                    return null;
                }
                i = end + 2;
            } else if (ch == '\'' || ch == '"' || ch == '`') {
                int j = i + 1;
                while (true) {
                    if (j >= n) {
                        return null;
                    }
                    if (sql.charAt(j) == ch) {
                        if (j + 1 < n && sql.charAt(j + 1) == ch) {
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    j++;
                }
                out.add(ch == '\'' ? "'l'" : "\"q\"");
                i = j + 1;
            } else if (Character.isLetterOrDigit(ch) || ch == '_' || ch == '$' || ch == ':' || ch == '?') {
                int j = i + 1;
                while (j < n
                        && (Character.isLetterOrDigit(sql.charAt(j))
                                || sql.charAt(j) == '_'
                                || sql.charAt(j) == '$'
                                || sql.charAt(j) == '.')) {
                    j++;
                }
                out.add(sql.substring(i, j));
                i = j;
            } else if ("<>=!@~^&|+-*/%#".indexOf(ch) >= 0) {
                int j = i + 1;
                while (j < n && "<>=!@~^&|+-*/%#".indexOf(sql.charAt(j)) >= 0) {
                    j++;
                }
                out.add(sql.substring(i, j));
                i = j;
            } else {
                out.add(String.valueOf(ch));
                i++;
            }
        }
        return out;
    }
}
