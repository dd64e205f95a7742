package io.shuttlebridge.core.internal.dialect.mariadb;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The engine's own {@code CREATE TABLE} statements (tables a module adds beside the metadata, such as a
 * hub's leases or Bridge's state) in MariaDB's terms: a {@code TEXT} column that is part of a primary key,
 * a unique constraint or a foreign key becomes {@code VARCHAR(255)} (InnoDB indexes no unbounded text, and
 * a foreign key's column must have its parent key's type), a binary column ({@code BLOB}, {@code LONGBLOB})
 * in a key becomes {@code VARBINARY(255)}, a text, blob or JSON column's literal default becomes an
 * expression ({@code DEFAULT ('')}, as MySQL 8 wants it), and a {@code _shuttle_} table is made in
 * {@code utf8mb4} compared byte for byte, as the metadata tables are. Other statements are left as they are.
 */
final class MariaDbDdl {
    private static final Pattern CREATE = Pattern.compile(
            "(?is)^\\s*CREATE\\s+TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?([`\"]?)(\\w+)\\1\\s*\\((.*)\\)\\s*$");
    private static final Pattern KEY_LIST = Pattern.compile(
            "(?is)^(?:CONSTRAINT\\s+\\S+\\s+)?(PRIMARY\\s+KEY|UNIQUE(?:\\s+KEY)?|FOREIGN\\s+KEY)\\s*\\(([^)]*)\\).*$");
    private static final Pattern COLUMN = Pattern.compile("(?is)^([`\"]?)(\\w+)\\1\\s+(TEXT|BLOB|LONGBLOB)\\b(.*)$");
    private static final Pattern INLINE_KEY = Pattern.compile("(?is).*\\b(PRIMARY\\s+KEY|UNIQUE|REFERENCES)\\b.*");
    /** A text, blob or JSON column with a literal default, which MySQL 8 takes only as an expression. */
    private static final Pattern LITERAL_DEFAULT = Pattern.compile(
            "(?is)^((?:`[^`]+`|\"[^\"]+\"|\\w+)\\s+"
                    + "(?:(?:TINY|MEDIUM|LONG)?(?:TEXT|BLOB)|JSON)\\b)(.*?\\bDEFAULT\\s+)('(?:[^']|'')*'|-?\\d+(?:\\.\\d+)?)(.*)$");

    private MariaDbDdl() {}

    static String rewrite(String sql) {
        Matcher m = CREATE.matcher(sql);
        if (!m.matches() || sql.toUpperCase(Locale.ROOT).contains(" AS SELECT")) {
            return sql;
        }
        String table = m.group(2);
        List<String> items = split(m.group(3));
        Set<String> keyed = new HashSet<>();
        for (String item : items) {
            Matcher k = KEY_LIST.matcher(item.strip());
            if (k.matches()) {
                for (String c : k.group(2).split(",")) {
                    keyed.add(c.strip().replace("`", "").replace("\"", "").toLowerCase(Locale.ROOT));
                }
            }
        }
        List<String> out = new ArrayList<>();
        for (String item : items) {
            Matcher c = COLUMN.matcher(item.strip());
            if (c.matches()
                    && (keyed.contains(c.group(2).toLowerCase(Locale.ROOT))
                            || INLINE_KEY.matcher(c.group(4)).matches())) {
                String type = c.group(3).equalsIgnoreCase("TEXT") ? " VARCHAR(255)" : " VARBINARY(255)";
                out.add(c.group(1) + c.group(2) + c.group(1) + type + c.group(4));
            } else {
                out.add(expressionDefault(item.strip()));
            }
        }
        String head = sql.substring(0, m.start(3));
        String body = head + String.join(", ", out) + ")";
        return table.startsWith("_shuttle_")
                ? body + " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin"
                : body;
    }

    /**
     * A text, blob or JSON column's literal default in parentheses ({@code DEFAULT ('')}): MySQL 8 refuses a
     * literal default on such a column and takes an expression; MariaDB takes both.
     */
    static String expressionDefault(String column) {
        Matcher d = LITERAL_DEFAULT.matcher(column);
        return d.matches() ? d.group(1) + d.group(2) + "(" + d.group(3) + ")" + d.group(4) : column;
    }

    /** The items of a column list, split at its top-level commas. */
    private static List<String> split(String list) {
        List<String> items = new ArrayList<>();
        int depth = 0;
        int start = 0;
        boolean quoted = false;
        for (int i = 0; i < list.length(); i++) {
            char ch = list.charAt(i);
            if (ch == '\'') {
                quoted = !quoted;
            } else if (!quoted && ch == '(') {
                depth++;
            } else if (!quoted && ch == ')') {
                depth--;
            } else if (!quoted && depth == 0 && ch == ',') {
                items.add(list.substring(start, i));
                start = i + 1;
            }
        }
        items.add(list.substring(start));
        return items;
    }
}
