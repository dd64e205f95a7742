package io.shuttlebridge.bridge.internal.config;

import io.shuttlebridge.bridge.definition.FieldSpec;
import io.shuttlebridge.bridge.definition.FieldType;
import io.shuttlebridge.bridge.definition.RuleSpec;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Parses {@code rules}. Each item names a {@code field} and one or more checks
 * ({@code required, type, min, max, min_length, max_length, pattern, enum}), or is a cross-field
 * {@code compare: "a <= b"}.
 */
final class RulesParser {
    private static final Set<String> OPS = Set.of("<", "<=", ">", ">=", "==", "!=");

    List<RuleSpec> rules(YamlNode node, List<FieldSpec> fields) {
        List<RuleSpec> out = new ArrayList<>();
        for (YamlNode item : node.items()) {
            item.allowOnly(
                    "field",
                    "required",
                    "type",
                    "min",
                    "max",
                    "min_length",
                    "max_length",
                    "pattern",
                    "enum",
                    "compare");
            String path = item.path();
            if (item.has("compare")) {
                if (item.keys().size() > 1) {
                    throw item.error("a compare rule stands alone (found other keys: " + item.keys() + ")");
                }
                out.add(compare(item.get("compare"), fields));
                continue;
            }
            YamlNode fieldNode = item.get("field");
            String field = known(fieldNode, fields);
            int before = out.size();
            if (item.get("required").bool(false)) {
                out.add(new RuleSpec.Required(path, field));
            }
            if (item.has("type")) {
                out.add(new RuleSpec.TypeCheck(
                        path, field, DefinitionParser.enumValue(item.get("type"), FieldType.class)));
            }
            BigDecimal min = item.get("min").decimal();
            BigDecimal max = item.get("max").decimal();
            if (min != null || max != null) {
                if (min != null && max != null && min.compareTo(max) > 0) {
                    throw item.get("min").error("min " + min + " is greater than max " + max);
                }
                out.add(new RuleSpec.Range(path, field, min, max));
            }
            if (item.has("min_length") || item.has("max_length")) {
                Integer minLength =
                        item.has("min_length") ? item.get("min_length").integer(0, 0) : null;
                Integer maxLength =
                        item.has("max_length") ? item.get("max_length").integer(0, 0) : null;
                out.add(new RuleSpec.Length(path, field, minLength, maxLength));
            }
            if (item.has("pattern")) {
                String regex = item.get("pattern").text();
                try {
                    Pattern.compile(regex);
                } catch (PatternSyntaxException e) {
                    throw item.get("pattern").error("invalid regular expression: " + e.getDescription());
                }
                out.add(new RuleSpec.Pattern(path, field, regex));
            }
            if (item.has("enum")) {
                out.add(new RuleSpec.OneOf(path, field, item.get("enum").textList()));
            }
            if (out.size() == before) {
                throw item.error("no check given for field '" + field
                        + "' (required, type, min, max, min_length, max_length, pattern or enum)");
            }
        }
        return out;
    }

    private static RuleSpec compare(YamlNode node, List<FieldSpec> fields) {
        String[] parts = node.text().strip().split("\\s+");
        if (parts.length != 3 || !OPS.contains(parts[1])) {
            throw node.error("expected 'field op field' with op one of " + OPS + ", found '" + node.text() + "'");
        }
        for (String f : List.of(parts[0], parts[2])) {
            if (fields.stream().noneMatch(s -> s.name().equals(f))) {
                throw node.error("unknown field '" + f + "'");
            }
        }
        return new RuleSpec.Compare(node.path(), parts[0], parts[1], parts[2]);
    }

    static String known(YamlNode node, List<FieldSpec> fields) {
        String name = node.text();
        if (fields.stream().noneMatch(f -> f.name().equals(name))) {
            throw node.error("unknown field '" + name + "'");
        }
        return name;
    }
}
