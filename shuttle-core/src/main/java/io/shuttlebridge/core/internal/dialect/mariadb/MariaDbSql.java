package io.shuttlebridge.core.internal.dialect.mariadb;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The engine's own statements in MariaDB's spelling. The engine writes its SQL once, in what SQLite and
 * PostgreSQL both accept; the MariaDB session ({@link MariaDbSession}) reads double quotes as identifier
 * quotes and {@code ||} as concatenation ({@code sql_mode} {@code ANSI_QUOTES,PIPES_AS_CONCAT}), and
 * this class rewrites, token by token (never inside a string literal, a quoted identifier or a comment),
 * the few constructs MariaDB spells another way:
 *
 * <ul>
 *   <li>{@code ON CONFLICT (k) DO UPDATE SET a = excluded.a, b = t.b} becomes {@code ON DUPLICATE KEY
 *       UPDATE t.a = VALUES(a), t.b = t.b} (the assigned columns qualified with the insert's table,
 *       which an {@code INSERT ... SELECT} joining that table again needs);
 *   <li>{@code ON CONFLICT [(k)] DO NOTHING} becomes {@code ON DUPLICATE KEY UPDATE t.k = t.k} (the
 *       conflict target's first column, or the first column inserted): the row stays, and unlike
 *       {@code INSERT IGNORE} no other error is turned into a warning;
 *   <li>the metadata column {@code key} (written in lower case: the engine writes keywords in upper
 *       case, and {@code PRIMARY KEY} stays a keyword) is quoted, since it is a reserved word here;
 *   <li>{@code CAST(x AS TEXT)} becomes {@code CAST(x AS CHAR)}, {@code AS INTEGER} and {@code AS
 *       BIGINT} become {@code AS SIGNED}.
 * </ul>
 *
 * <p>Statements are translated once and remembered (the engine has a bounded set of statement texts;
 * the memory is bounded all the same).
 */
final class MariaDbSql {
    private static final int REMEMBERED = 20_000;
    private static final ConcurrentHashMap<String, String> CACHE = new ConcurrentHashMap<>();

    private MariaDbSql() {}

    /**
     * The statement as a server whose exact collation is {@code exactCollation} reads it: MariaDB's
     * spelling, with MariaDB's collation name given MySQL's on MySQL ({@link MariaDbServer}).
     */
    static String translate(String sql, String exactCollation) {
        String out = translate(sql);
        return out == null || exactCollation.equals(MariaDbServer.MARIADB_EXACT)
                ? out
                : out.replace(MariaDbServer.MARIADB_EXACT, exactCollation);
    }

    /** The statement as MariaDB reads it. */
    static String translate(String sql) {
        if (sql == null) {
            return null;
        }
        String known = CACHE.get(sql);
        if (known != null) {
            return known;
        }
        String out = rewrite(MariaDbDdl.rewrite(sql));
        if (CACHE.size() < REMEMBERED) {
            CACHE.put(sql, out);
        }
        return out;
    }

    private enum Kind {
        WORD,
        QUOTED, // "..." or `...`
        STRING, // '...'
        SPACE, // whitespace and comments
        SYMBOL
    }

    private record Token(Kind kind, String text) {
        boolean is(String word) {
            return kind == Kind.WORD && text.equalsIgnoreCase(word);
        }

        boolean symbol(String s) {
            return kind == Kind.SYMBOL && text.equals(s);
        }
    }

    static String rewrite(String sql) {
        if (!needsWork(sql)) {
            return sql;
        }
        List<Token> tokens = tokens(sql);
        StringBuilder out = new StringBuilder(sql.length() + 32);
        String insertTable = null;
        String firstInsertColumn = null;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.is("INTO")
                    && insertTable == null
                    && previousWord(tokens, i).map(p -> p.is("INSERT")).orElse(false)) {
                int n = next(tokens, i);
                if (n >= 0) {
                    insertTable = tokens.get(n).text();
                    int open = next(tokens, n);
                    if (open >= 0 && tokens.get(open).symbol("(")) {
                        int col = next(tokens, open);
                        if (col >= 0) {
                            firstInsertColumn = column(tokens.get(col));
                        }
                    }
                }
            }
            if (insertTable != null
                    && t.symbol("(")
                    && followedBy(tokens, i, "SELECT")
                    && previousWord(tokens, i)
                            .map(p -> p.is("VALUES") || p.symbol(",") || p.symbol("("))
                            .orElse(false)) {
                int close = matching(tokens, i);
                String inner = text(tokens, i + 1, close);
                if (readsTable(tokens, i + 1, close, insertTable)) {
                    // MariaDB refuses a subquery on the table an INSERT writes, unless it is materialized first
                    out.append("(SELECT * FROM (").append(rewrite(inner)).append(") AS _shuttle_v)");
                    i = close;
                    continue;
                }
            }
            if (t.is("ON") && followedBy(tokens, i, "CONFLICT")) {
                i = onConflict(tokens, i, out, insertTable, firstInsertColumn);
                continue;
            }
            if (t.kind() == Kind.WORD && t.text().equals("key") && !keyword(previousWord(tokens, i))) {
                out.append("`key`");
                continue;
            }
            if (t.is("AS") && castType(tokens, i) != null) {
                int n = next(tokens, i);
                out.append(t.text()).append(' ').append(castType(tokens, i));
                i = n;
                continue;
            }
            out.append(t.text());
        }
        return out.toString();
    }

    /** Whether the statement holds anything this class rewrites (most statements do not). */
    private static boolean needsWork(String sql) {
        return sql.contains("CONFLICT")
                || sql.contains("key")
                || sql.contains(" AS ")
                || sql.contains(" as ")
                || sql.contains("INSERT");
    }

    /** {@code AS TEXT)}, {@code AS INTEGER)}, {@code AS BIGINT)}: the MariaDB cast type, else null. */
    private static String castType(List<Token> tokens, int as) {
        int n = next(tokens, as);
        if (n < 0) {
            return null;
        }
        int close = next(tokens, n);
        if (close < 0 || !tokens.get(close).symbol(")")) {
            return null;
        }
        Token type = tokens.get(n);
        if (type.is("TEXT")) {
            return "CHAR";
        }
        if (type.is("INTEGER") || type.is("BIGINT")) {
            return "SIGNED";
        }
        return null;
    }

    /**
     * Rewrites {@code ON CONFLICT ...} starting at token {@code on}; returns the index of the last token
     * consumed.
     */
    private static int onConflict(List<Token> tokens, int on, StringBuilder out, String table, String firstColumn) {
        int i = next(tokens, next(tokens, on)); // after CONFLICT
        String target = null;
        if (i >= 0 && tokens.get(i).symbol("(")) {
            int first = next(tokens, i);
            target = column(tokens.get(first));
            while (i < tokens.size() && !tokens.get(i).symbol(")")) {
                i++;
            }
            i = next(tokens, i);
        }
        if (i < 0 || !tokens.get(i).is("DO")) {
            throw new IllegalArgumentException("cannot translate ON CONFLICT without DO for MariaDB");
        }
        int action = next(tokens, i);
        String qualifier = table == null ? "" : table + ".";
        if (tokens.get(action).is("NOTHING")) {
            String col = target != null ? target : firstColumn;
            if (col == null) {
                throw new IllegalArgumentException(
                        "cannot translate ON CONFLICT DO NOTHING without a column for MariaDB");
            }
            out.append("ON DUPLICATE KEY UPDATE ")
                    .append(qualifier)
                    .append(col)
                    .append(" = ")
                    .append(qualifier)
                    .append(col);
            return action;
        }
        int set = next(tokens, action); // DO UPDATE SET
        if (!tokens.get(action).is("UPDATE") || set < 0 || !tokens.get(set).is("SET")) {
            throw new IllegalArgumentException("cannot translate ON CONFLICT DO for MariaDB");
        }
        out.append("ON DUPLICATE KEY UPDATE ");
        // assignments: column = expression, ... up to the end; excluded.x becomes VALUES(x)
        boolean expectColumn = true;
        int depth = 0;
        int j = next(tokens, set);
        for (; j >= 0 && j < tokens.size(); j++) {
            Token t = tokens.get(j);
            if (t.symbol("(")) {
                depth++;
            } else if (t.symbol(")")) {
                depth--;
            }
            if (expectColumn && (t.kind() == Kind.WORD || t.kind() == Kind.QUOTED)) {
                out.append(qualifier).append(t.text().equals("key") ? "`key`" : t.text());
                expectColumn = false;
                continue;
            }
            if (depth == 0 && t.symbol(",")) {
                out.append(',');
                expectColumn = true;
                continue;
            }
            if (t.is("excluded")) {
                int dot = j + 1;
                if (dot + 1 < tokens.size() && tokens.get(dot).symbol(".")) {
                    Token col = tokens.get(dot + 1);
                    out.append("VALUES(")
                            .append(col.text().equals("key") ? "`key`" : col.text())
                            .append(')');
                    j = dot + 1;
                    continue;
                }
            }
            out.append(t.kind() == Kind.WORD && t.text().equals("key") ? "`key`" : t.text());
        }
        return j < 0 ? tokens.size() - 1 : j - 1;
    }

    /** A column name token as SQL: quoted names kept, the reserved word {@code key} quoted. */
    private static String column(Token t) {
        return t.kind() == Kind.WORD && t.text().equals("key") ? "`key`" : t.text();
    }

    /** The index of the parenthesis closing the one at {@code open}. */
    private static int matching(List<Token> tokens, int open) {
        int depth = 0;
        for (int j = open; j < tokens.size(); j++) {
            if (tokens.get(j).symbol("(")) {
                depth++;
            } else if (tokens.get(j).symbol(")") && --depth == 0) {
                return j;
            }
        }
        throw new IllegalArgumentException("unbalanced parentheses");
    }

    private static String text(List<Token> tokens, int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int j = from; j < to; j++) {
            sb.append(tokens.get(j).text());
        }
        return sb.toString();
    }

    private static boolean readsTable(List<Token> tokens, int from, int to, String table) {
        for (int j = from; j < to; j++) {
            if (tokens.get(j).text().equals(table)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a {@code key} after this word is the keyword ({@code primary key}, {@code unique key}, ...). */
    private static boolean keyword(java.util.Optional<Token> before) {
        return before.map(b -> b.is("PRIMARY") || b.is("FOREIGN") || b.is("UNIQUE") || b.is("DUPLICATE"))
                .orElse(false);
    }

    private static boolean followedBy(List<Token> tokens, int i, String word) {
        int n = next(tokens, i);
        return n >= 0 && tokens.get(n).is(word);
    }

    private static java.util.Optional<Token> previousWord(List<Token> tokens, int i) {
        for (int j = i - 1; j >= 0; j--) {
            if (tokens.get(j).kind() != Kind.SPACE) {
                return java.util.Optional.of(tokens.get(j));
            }
        }
        return java.util.Optional.empty();
    }

    /** The index of the next token that is not space, or -1. */
    private static int next(List<Token> tokens, int i) {
        if (i < 0) {
            return -1;
        }
        for (int j = i + 1; j < tokens.size(); j++) {
            if (tokens.get(j).kind() != Kind.SPACE) {
                return j;
            }
        }
        return -1;
    }

    private static List<Token> tokens(String sql) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char ch = sql.charAt(i);
            int start = i;
            if (Character.isWhitespace(ch)) {
                while (i < n && Character.isWhitespace(sql.charAt(i))) {
                    i++;
                }
                out.add(new Token(Kind.SPACE, sql.substring(start, i)));
            } else if (ch == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                while (i < n && sql.charAt(i) != '\n') {
                    i++;
                }
                out.add(new Token(Kind.SPACE, sql.substring(start, i)));
            } else if (ch == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                out.add(new Token(Kind.SPACE, sql.substring(start, i)));
            } else if (ch == '\'' || ch == '"' || ch == '`') {
                i = closing(sql, i, ch);
                out.add(new Token(ch == '\'' ? Kind.STRING : Kind.QUOTED, sql.substring(start, i)));
            } else if (Character.isLetterOrDigit(ch) || ch == '_' || ch == '$' || ch == '@') {
                while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || "_$@".indexOf(sql.charAt(i)) >= 0)) {
                    i++;
                }
                out.add(new Token(Kind.WORD, sql.substring(start, i)));
            } else {
                out.add(new Token(Kind.SYMBOL, String.valueOf(ch)));
                i++;
            }
        }
        return out;
    }

    /** The index after the quote that closes the one at {@code i} (a doubled quote is part of the text). */
    private static int closing(String sql, int i, char quote) {
        int j = i + 1;
        while (j < sql.length()) {
            if (sql.charAt(j) == quote) {
                if (j + 1 < sql.length() && sql.charAt(j + 1) == quote) {
                    j += 2;
                    continue;
                }
                return j + 1;
            }
            j++;
        }
        return sql.length();
    }
}
