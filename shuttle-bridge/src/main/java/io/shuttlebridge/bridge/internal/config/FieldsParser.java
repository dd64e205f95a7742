package io.shuttlebridge.bridge.internal.config;

import io.shuttlebridge.bridge.definition.FieldSpec;
import io.shuttlebridge.bridge.definition.FieldType;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Parses the {@code fields} mapping: {@code name: type} or {@code name: {type, locale, format, zone, scale, transform}}. */
final class FieldsParser {

    List<FieldSpec> fields(YamlNode node) {
        node.requireObject();
        List<FieldSpec> out = new ArrayList<>();
        for (String name : node.keys()) {
            out.add(field(name, node.get(name)));
        }
        if (out.isEmpty()) {
            throw node.error("at least one field is required");
        }
        return out;
    }

    private FieldSpec field(String name, YamlNode node) {
        if (node.isMissing() || node.isScalar()) {
            FieldType type = node.isMissing() ? FieldType.STRING : DefinitionParser.enumValue(node, FieldType.class);
            return FieldSpec.of(name, type);
        }
        node.allowOnly("type", "locale", "format", "zone", "scale", "transform");
        FieldType type = node.get("type").isMissing()
                ? FieldType.STRING
                : DefinitionParser.enumValue(node.get("type"), FieldType.class);
        Locale locale = null;
        if (node.has("locale")) {
            if (type != FieldType.DECIMAL && type != FieldType.INTEGER) {
                throw node.get("locale").error("locale applies to decimal and integer fields only");
            }
            locale = node.get("locale").parse("locale", FieldsParser::locale);
        }
        List<String> formats = node.get("format").textList();
        if (!formats.isEmpty() && !isTemporal(type)) {
            throw node.get("format").error("format applies to date, datetime and timestamp fields only");
        }
        for (int i = 0; i < formats.size(); i++) {
            YamlNode f = node.get("format").isScalar()
                    ? node.get("format")
                    : node.get("format").items().get(i);
            f.parse("date/time pattern", DateTimeFormatter::ofPattern);
        }
        ZoneId zone = null;
        if (node.has("zone")) {
            if (type != FieldType.TIMESTAMP) {
                throw node.get("zone").error("zone applies to timestamp fields only");
            }
            zone = node.get("zone").parse("zone", ZoneId::of);
        }
        Integer scale = null;
        if (node.has("scale")) {
            if (type != FieldType.DECIMAL) {
                throw node.get("scale").error("scale applies to decimal fields only");
            }
            scale = node.get("scale").integer(0, 0);
        }
        List<FieldSpec.Transform> transforms = new ArrayList<>();
        YamlNode t = node.get("transform");
        List<YamlNode> items = t.isMissing() ? List.of() : t.isScalar() ? List.of(t) : t.items();
        for (YamlNode item : items) {
            transforms.add(DefinitionParser.enumValue(item, FieldSpec.Transform.class));
        }
        return new FieldSpec(name, type, locale, formats, zone, scale, transforms);
    }

    private static boolean isTemporal(FieldType type) {
        return type == FieldType.DATE || type == FieldType.DATETIME || type == FieldType.TIMESTAMP;
    }

    private static Locale locale(String tag) {
        Locale locale = Locale.forLanguageTag(tag);
        if (locale.getLanguage().isEmpty()) {
            throw new IllegalArgumentException("expected a language tag such as de-DE or en-US");
        }
        return locale;
    }
}
