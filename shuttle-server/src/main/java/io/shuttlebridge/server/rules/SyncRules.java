package io.shuttlebridge.server.rules;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.server.internal.rules.RulesParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A hub's sync rules (DESIGN §9), read from YAML:
 *
 * <pre>{@code
 * version: 1
 * claims: [tenant]           # claims the rules use besides sub
 * tables:
 *   task:
 *     read:  "project_id IN (SELECT project_id FROM project_member WHERE user_id = :sub)"
 *     write: read
 *     hidden_columns: [internal_cost]
 *   catalog:
 *     read: all
 * }</pre>
 *
 * A table not listed, or a missing {@code read}/{@code write}, means none. Checked against the
 * hub's database by {@code RulesCheck} before the hub serves them.
 */
public final class SyncRules {
    private final String source;
    private final Map<String, TableRule> tables;
    private final Set<String> claims;

    public SyncRules(String source, Map<String, TableRule> tables, Set<String> claims) {
        this.source = source;
        this.tables = Collections.unmodifiableMap(new LinkedHashMap<>(tables));
        this.claims = Collections.unmodifiableSet(new LinkedHashSet<>(claims));
    }

    public static SyncRules load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT, "cannot read the rules file " + file + ": " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    /** Rules from YAML text; {@code source} names it in messages. */
    public static SyncRules parse(String yaml, String source) {
        return RulesParser.parse(yaml, source);
    }

    /** Where the rules come from (a file name), for messages. */
    public String source() {
        return source;
    }

    /** The rule of {@code table}; none for a table the rules do not list. */
    public TableRule table(String table) {
        TableRule r = tables.get(table);
        return r != null ? r : TableRule.none(table);
    }

    public Collection<TableRule> tables() {
        return tables.values();
    }

    /** The claims the rules may name: {@code sub} and those declared under {@code claims}, in that order. */
    public Set<String> claims() {
        return claims;
    }
}
