package io.shuttlebridge.bridge.internal.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A YAML node that knows its path, so every error names exactly where the problem is. */
final class YamlNode {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private final JsonNode json;
    private final String path;
    private final Map<String, String> env;

    YamlNode(JsonNode json, String path, Map<String, String> env) {
        this.json = json;
        this.path = path;
        this.env = env;
    }

    String path() {
        return path;
    }

    ShuttleException error(String message) {
        return error(message, null);
    }

    ShuttleException error(String message, Exception cause) {
        return new ShuttleException(
                ErrorCode.INVALID_ARGUMENT, (path.isEmpty() ? "(root)" : path) + ": " + message, cause);
    }

    boolean isMissing() {
        return json == null || json.isMissingNode() || json.isNull();
    }

    boolean isObject() {
        return !isMissing() && json.isObject();
    }

    boolean isArray() {
        return !isMissing() && json.isArray();
    }

    boolean isScalar() {
        return !isMissing() && json.isValueNode();
    }

    YamlNode get(String key) {
        String childPath = path.isEmpty() ? key : path + "." + key;
        return new YamlNode(json == null ? null : json.get(key), childPath, env);
    }

    YamlNode requireObject() {
        if (!isObject()) {
            throw error(isMissing() ? "required, expected a mapping" : "expected a mapping, found " + kind());
        }
        return this;
    }

    /** Rejects keys other than the allowed ones. */
    YamlNode allowOnly(String... keys) {
        requireObject();
        Set<String> allowed = Set.of(keys);
        for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                throw get(key).error("unknown key '" + key + "' (expected one of "
                        + String.join(", ", new TreeSet<>(allowed)) + ")");
            }
        }
        return this;
    }

    List<String> keys() {
        requireObject();
        List<String> out = new ArrayList<>();
        json.fieldNames().forEachRemaining(out::add);
        return out;
    }

    boolean has(String key) {
        return isObject() && json.has(key) && !json.get(key).isNull();
    }

    List<YamlNode> items() {
        if (isMissing()) {
            return List.of();
        }
        if (!json.isArray()) {
            throw error("expected a list, found " + kind());
        }
        List<YamlNode> out = new ArrayList<>();
        for (int i = 0; i < json.size(); i++) {
            out.add(new YamlNode(json.get(i), path + "[" + i + "]", env));
        }
        return out;
    }

    String text() {
        if (isMissing()) {
            throw error("required");
        }
        if (!json.isValueNode()) {
            throw error("expected a value, found " + kind());
        }
        return expand(json.asText());
    }

    String text(String fallback) {
        return isMissing() ? fallback : text();
    }

    List<String> textList() {
        if (isScalar()) {
            return List.of(text());
        }
        return items().stream().map(YamlNode::text).toList();
    }

    int integer(int fallback, int min) {
        if (isMissing()) {
            return fallback;
        }
        if (!json.canConvertToInt() || !json.isIntegralNumber()) {
            throw error("expected a whole number, found '" + json.asText() + "'");
        }
        if (json.asInt() < min) {
            throw error("must be at least " + min + ", found " + json.asInt());
        }
        return json.asInt();
    }

    long longValue(long fallback) {
        if (isMissing()) {
            return fallback;
        }
        if (!json.isIntegralNumber() || json.asLong() < 0) {
            throw error("expected a whole number >= 0, found '" + json.asText() + "'");
        }
        return json.asLong();
    }

    boolean bool(boolean fallback) {
        if (isMissing()) {
            return fallback;
        }
        if (!json.isBoolean()) {
            throw error("expected true or false, found '" + json.asText() + "'");
        }
        return json.asBoolean();
    }

    BigDecimal decimal() {
        if (isMissing()) {
            return null;
        }
        try {
            return json.isNumber() ? json.decimalValue() : new BigDecimal(text());
        } catch (NumberFormatException e) {
            throw error("expected a number, found '" + json.asText() + "'", e);
        }
    }

    /** A scalar as a Java value: text, Long, BigDecimal or Boolean. */
    Object scalar() {
        if (isMissing()) {
            return null;
        }
        if (!json.isValueNode()) {
            throw error("expected a value, found " + kind());
        }
        if (json.isIntegralNumber()) {
            return json.asLong();
        }
        if (json.isNumber()) {
            return json.decimalValue();
        }
        if (json.isBoolean()) {
            return json.asBoolean();
        }
        return expand(json.asText());
    }

    <T> T parse(String what, Function<String, T> parser) {
        String value = text();
        try {
            return parser.apply(value);
        } catch (RuntimeException e) {
            throw error("invalid " + what + " '" + value + "'" + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    private String expand(String value) {
        Matcher m = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String resolved = env.get(m.group(1));
            if (resolved == null) {
                throw error("environment variable '" + m.group(1) + "' is not set");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(resolved));
        }
        m.appendTail(out);
        return out.toString();
    }

    private String kind() {
        if (json.isArray()) {
            return "a list";
        }
        if (json.isObject()) {
            return "a mapping";
        }
        return "'" + json.asText() + "'";
    }
}
