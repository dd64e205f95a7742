package io.shuttlebridge.bridge.internal.config;

import io.shuttlebridge.bridge.definition.FieldSpec;
import io.shuttlebridge.bridge.definition.MappingSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses {@code mappings}: each item has a {@code target} and exactly one of {@code source},
 * {@code constant} or {@code concat}; {@code lookup} and {@code default} refine a source. Without a
 * {@code mappings} section every field maps to the column of the same name.
 */
final class MappingsParser {

    List<MappingSpec> mappings(YamlNode node, List<FieldSpec> fields) {
        List<MappingSpec> out = new ArrayList<>();
        if (node.isMissing()) {
            fields.forEach(f -> out.add(new MappingSpec.Rename(f.name(), f.name(), null)));
            return out;
        }
        Set<String> targets = new HashSet<>();
        for (YamlNode item : node.items()) {
            item.allowOnly("target", "source", "constant", "concat", "separator", "lookup", "default");
            String target = item.get("target").text();
            if (!targets.add(target)) {
                throw item.get("target").error("column '" + target + "' is mapped twice");
            }
            int kinds = (item.has("source") ? 1 : 0) + (item.has("constant") ? 1 : 0) + (item.has("concat") ? 1 : 0);
            if (kinds != 1) {
                throw item.error("expected exactly one of source, constant or concat");
            }
            Object defaultValue = item.get("default").scalar();
            if (item.has("constant")) {
                out.add(new MappingSpec.Constant(target, item.get("constant").scalar()));
            } else if (item.has("concat")) {
                List<String> sources = new ArrayList<>();
                for (YamlNode part : item.get("concat").items()) {
                    sources.add(RulesParser.known(part, fields));
                }
                out.add(new MappingSpec.Concat(
                        target, sources, item.get("separator").text(""), defaultValue));
            } else {
                String source = RulesParser.known(item.get("source"), fields);
                if (item.has("lookup")) {
                    YamlNode table = item.get("lookup").requireObject();
                    Map<String, Object> entries = new LinkedHashMap<>();
                    for (String key : table.keys()) {
                        entries.put(key, table.get(key).scalar());
                    }
                    out.add(new MappingSpec.Lookup(target, source, entries, item.has("default"), defaultValue));
                } else {
                    out.add(new MappingSpec.Rename(target, source, defaultValue));
                }
            }
            if (item.has("separator") && !item.has("concat")) {
                throw item.get("separator").error("separator applies to concat only");
            }
        }
        if (out.isEmpty()) {
            throw node.error("at least one mapping is required");
        }
        return out;
    }
}
