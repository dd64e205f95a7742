package io.shuttlebridge.server.internal.rules;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.server.rules.Predicate;
import io.shuttlebridge.server.rules.SyncRules;
import io.shuttlebridge.server.rules.TableRule;
import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** Reads a rules file (DESIGN §9) into {@link SyncRules}, naming the line of every mistake. */
public final class RulesParser {
    private static final YAMLFactory YAML = new YAMLFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper(YAML);
    private static final Set<String> TOP = Set.of("version", "claims", "tables");
    private static final Set<String> TABLE_KEYS = Set.of("read", "write", "hidden_columns");

    private final String source;
    private final Map<String, Integer> lines;

    private RulesParser(String source, Map<String, Integer> lines) {
        this.source = source;
        this.lines = lines;
    }

    public static SyncRules parse(String yaml, String source) {
        JsonNode root;
        Map<String, Integer> lines;
        try {
            root = MAPPER.readTree(yaml);
            lines = lines(yaml);
        } catch (IOException e) {
            throw new ShuttleException(ErrorCode.INVALID_ARGUMENT, source + ": not valid YAML: " + e.getMessage(), e);
        }
        return new RulesParser(source, lines).rules(root);
    }

    private SyncRules rules(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw error("", "a rules file is a mapping with version: 1 and tables:");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!TOP.contains(k)) {
                throw error("/" + k, "unknown key '" + k + "' (expected version, claims, tables)");
            }
        }
        if (root.path("version").asInt(-1) != 1) {
            throw error("/version", "version: 1 is required (the only rules format so far)");
        }
        Set<String> claims = new LinkedHashSet<>();
        claims.add("sub");
        JsonNode declared = root.path("claims");
        if (!declared.isMissingNode()) {
            if (!declared.isArray()) {
                throw error("/claims", "claims is a list of claim names, e.g. claims: [tenant, projects]");
            }
            declared.forEach(c -> claims.add(c.asText()));
        }
        JsonNode tables = root.path("tables");
        if (!tables.isObject()) {
            throw error("/tables", "tables: is required, a mapping from table name to its read/write rules");
        }
        Map<String, TableRule> rules = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = tables.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            rules.put(e.getKey(), table(e.getKey(), e.getValue(), claims));
        }
        return new SyncRules(source, rules, claims);
    }

    private TableRule table(String name, JsonNode t, Set<String> claims) {
        String at = "/tables/" + name;
        if (!t.isObject()) {
            throw error(at, "the rules of table '" + name + "' are a mapping with read, write, hidden_columns");
        }
        for (Iterator<String> it = t.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!TABLE_KEYS.contains(k)) {
                throw error(
                        at + "/" + k,
                        "unknown key '" + k + "' in table '" + name + "' (expected read, write, hidden_columns)");
            }
        }
        Predicate read = predicate(at + "/read", t.get("read"), null, claims);
        Predicate write = predicate(at + "/write", t.get("write"), read, claims);
        Set<String> hidden = new LinkedHashSet<>();
        JsonNode h = t.get("hidden_columns");
        if (h != null) {
            if (!h.isArray()) {
                throw error(at + "/hidden_columns", "hidden_columns is a list of column names");
            }
            h.forEach(c -> hidden.add(c.asText()));
        }
        return new TableRule(name, read, write, hidden, line(at));
    }

    private Predicate predicate(String at, JsonNode v, Predicate read, Set<String> claims) {
        if (v == null || v.isNull()) {
            return Predicate.NONE;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw error(at, "a rule is all, none, read (for write) or a SQL boolean expression in quotes");
        }
        String text = v.asText().trim();
        switch (text) {
            case "all":
                return Predicate.ALL;
            case "none":
                return Predicate.NONE;
            case "read":
                if (read == null) {
                    throw error(at, "'read' names the read rule: it can be used for write only");
                }
                return read;
            default:
                break;
        }
        var params = NamedParameters.parse(text).names();
        for (String p : params) {
            if (!claims.contains(p)) {
                throw error(at, "unknown claim :" + p + " (declare it under claims:, e.g. claims: [" + p + "])");
            }
        }
        return new Predicate.Sql(text, params, line(at));
    }

    private int line(String pointer) {
        return lines.getOrDefault(pointer, 0);
    }

    private ShuttleException error(String pointer, String message) {
        return mistake(source, line(pointer), message);
    }

    /** A mistake in a rules file, named by file and line (none when unknown). */
    static ShuttleException mistake(String source, int line, String message) {
        return new ShuttleException(ErrorCode.INVALID_ARGUMENT, source + (line > 0 ? ":" + line : "") + ": " + message);
    }

    /** The line of every key, by JSON pointer ({@code /tables/task/read}). */
    private static Map<String, Integer> lines(String yaml) throws IOException {
        Map<String, Integer> out = new HashMap<>();
        try (JsonParser p = YAML.createParser(yaml)) {
            walk(p, p.nextToken(), "", out);
        }
        return out;
    }

    private static void walk(JsonParser p, JsonToken t, String at, Map<String, Integer> out) throws IOException {
        if (t == JsonToken.START_OBJECT) {
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String key = at + "/" + p.currentName();
                out.put(key, p.currentTokenLocation().getLineNr());
                walk(p, p.nextToken(), key, out);
            }
        } else if (t == JsonToken.START_ARRAY) {
            int i = 0;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
                walk(p, t, at + "/" + i++, out);
            }
        }
    }
}
