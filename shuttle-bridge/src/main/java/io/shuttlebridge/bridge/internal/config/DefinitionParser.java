package io.shuttlebridge.bridge.internal.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.shuttlebridge.bridge.definition.CleaningSpec;
import io.shuttlebridge.bridge.definition.DeleteMode;
import io.shuttlebridge.bridge.definition.EntityDefinition;
import io.shuttlebridge.bridge.definition.FieldSpec;
import io.shuttlebridge.bridge.definition.PipelineDefinition;
import io.shuttlebridge.bridge.definition.ScheduleSpec;
import io.shuttlebridge.bridge.definition.SinkSpec;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads a pipeline definition from YAML, checking every reference and naming the exact path of a problem. */
public final class DefinitionParser {
    static final int DEFAULT_BATCH_SIZE = 10_000;
    static final int DEFAULT_MAX_ATTEMPTS = 5;
    static final Duration DEFAULT_BACKOFF = Duration.ofMinutes(1);

    private final Map<String, String> env;
    private final Path baseDir;

    public DefinitionParser(Map<String, String> env, Path baseDir) {
        this.env = env;
        this.baseDir = baseDir;
    }

    public PipelineDefinition parse(String yaml) {
        JsonNode tree;
        try {
            tree = new YAMLMapper().readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT,
                    "pipeline definition is not valid YAML: " + e.getOriginalMessage()
                            + (e.getLocation() == null
                                    ? ""
                                    : " (line " + e.getLocation().getLineNr() + ")"),
                    e);
        }
        YamlNode root = new YamlNode(tree, "", env).allowOnly("version", "defaults", "entities");
        int version = root.get("version").integer(1, 1);
        if (version != 1) {
            throw root.get("version").error("unsupported version " + version + " (this build reads version 1)");
        }
        YamlNode defaults = root.get("defaults");
        if (!defaults.isMissing()) {
            defaults.allowOnly("batch_size", "max_attempts", "backoff");
        }
        int batchSize = defaults.get("batch_size").integer(DEFAULT_BATCH_SIZE, 1);
        int maxAttempts = defaults.get("max_attempts").integer(DEFAULT_MAX_ATTEMPTS, 1);
        Duration backoff = defaults.has("backoff") ? duration(defaults.get("backoff")) : DEFAULT_BACKOFF;

        YamlNode entitiesNode = root.get("entities");
        List<YamlNode> items = entitiesNode.items();
        if (items.isEmpty()) {
            throw entitiesNode.error("at least one entity is required");
        }
        List<EntityDefinition> entities = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (YamlNode item : items) {
            EntityDefinition entity = entity(item, batchSize, maxAttempts, backoff);
            if (!names.add(entity.name())) {
                throw item.get("name").error("duplicate entity name '" + entity.name() + "'");
            }
            entities.add(entity);
        }
        return new PipelineDefinition(entities);
    }

    private EntityDefinition entity(YamlNode node, int batchSize, int maxAttempts, Duration backoff) {
        node.allowOnly(
                "name",
                "table",
                "source",
                "fields",
                "normalize",
                "rules",
                "mappings",
                "keys",
                "audit",
                "deletes",
                "batch_size",
                "max_attempts",
                "backoff",
                "schedule",
                "sink");
        String name = node.get("name").text();
        if (!name.matches("[A-Za-z][A-Za-z0-9_.-]*")) {
            throw node.get("name").error("invalid entity name '" + name + "' (letters, digits, '_', '.', '-')");
        }
        String table = node.get("table").text();
        List<FieldSpec> fields = new FieldsParser().fields(node.get("fields"));
        Set<String> fieldNames = new HashSet<>();
        fields.forEach(f -> fieldNames.add(f.name()));
        var source = new SourceParser(baseDir).source(node.get("source"), fieldNames);
        var rules = new RulesParser().rules(node.get("rules"), fields);
        var mappings = new MappingsParser().mappings(node.get("mappings"), fields);
        Set<String> targets = new HashSet<>();
        mappings.forEach(m -> targets.add(m.target()));
        List<String> keys = columns(node.get("keys"), targets, true);
        List<String> audit = columns(node.get("audit"), targets, false);
        for (String a : audit) {
            if (keys.contains(a)) {
                throw node.get("audit").error("column '" + a + "' is a key column and cannot be an audit column");
            }
        }
        DeleteMode deletes = node.get("deletes").isMissing()
                ? (source.deletedFlag() != null ? DeleteMode.TOMBSTONE : DeleteMode.RECONCILE)
                : enumValue(node.get("deletes"), DeleteMode.class);
        if (deletes == DeleteMode.TOMBSTONE && source.deletedFlag() == null) {
            throw node.get("deletes").error("'tombstone' needs source.deleted (the field that flags a deleted record)");
        }
        return new EntityDefinition(
                name,
                table,
                source,
                fields,
                cleaning(node.get("normalize")),
                rules,
                mappings,
                keys,
                audit,
                deletes,
                node.get("batch_size").integer(batchSize, 1),
                node.get("max_attempts").integer(maxAttempts, 1),
                node.has("backoff") ? duration(node.get("backoff")) : backoff,
                schedule(node.get("schedule")),
                sink(node.get("sink")));
    }

    private static List<String> columns(YamlNode node, Set<String> targets, boolean required) {
        if (node.isMissing()) {
            if (required) {
                throw node.error("required: the target columns forming the business key");
            }
            return List.of();
        }
        List<YamlNode> items = node.isScalar() ? List.of(node) : node.items();
        if (required && items.isEmpty()) {
            throw node.error("at least one key column is required");
        }
        List<String> out = new ArrayList<>();
        for (YamlNode item : items) {
            String column = item.text();
            if (!targets.contains(column)) {
                throw item.error("unknown column '" + column + "' (not a mapping target)");
            }
            out.add(column);
        }
        return out;
    }

    private static CleaningSpec cleaning(YamlNode node) {
        if (node.isMissing()) {
            return CleaningSpec.DEFAULT;
        }
        node.allowOnly("trim", "nfc", "control_chars", "empty_to_null");
        return new CleaningSpec(
                node.get("trim").bool(true),
                node.get("nfc").bool(true),
                !"keep".equals(node.get("control_chars").text("strip")) && checkControl(node.get("control_chars")),
                node.get("empty_to_null").bool(true));
    }

    private static boolean checkControl(YamlNode node) {
        String value = node.text("strip");
        if (!value.equals("strip") && !value.equals("keep")) {
            throw node.error("expected 'strip' or 'keep', found '" + value + "'");
        }
        return true;
    }

    private static ScheduleSpec schedule(YamlNode node) {
        if (node.isMissing()) {
            return null;
        }
        node.allowOnly("window", "zone", "every", "rows_per_window");
        YamlNode windowNode = node.get("window");
        String window = windowNode.text("00:00-00:00");
        String[] parts = window.split("-");
        if (parts.length != 2) {
            throw windowNode.error("expected HH:MM-HH:MM, found '" + window + "'");
        }
        LocalTime start = windowNode.parse("window start", s -> LocalTime.parse(parts[0].strip()));
        LocalTime end = windowNode.parse("window end", s -> LocalTime.parse(parts[1].strip()));
        ZoneId zone = node.get("zone").parse("zone", ZoneId::of);
        Duration every = node.has("every") ? duration(node.get("every")) : Duration.ofDays(1);
        return new ScheduleSpec(
                start, end, zone, every, node.get("rows_per_window").longValue(0));
    }

    private static SinkSpec sink(YamlNode node) {
        if (node.isMissing()) {
            return null;
        }
        node.allowOnly("type", "url", "token", "max_retries", "timeout");
        String type = node.get("type").text("http");
        if (!type.equals("http")) {
            throw node.get("type").error("unknown sink type '" + type + "' (expected http)");
        }
        URI url = node.get("url").parse("URL", URI::create);
        if (url.getScheme() == null || !url.getScheme().matches("https?")) {
            throw node.get("url").error("expected an http or https URL, found '" + url + "'");
        }
        int retries = (int) node.get("max_retries").longValue(SinkSpec.DEFAULT_MAX_RETRIES);
        if (retries < 0) {
            throw node.get("max_retries").error("must be 0 or more");
        }
        Duration timeout = node.has("timeout") ? duration(node.get("timeout")) : SinkSpec.DEFAULT_TIMEOUT;
        return new SinkSpec(url, node.get("token").text(null), retries, timeout);
    }

    static Duration duration(YamlNode node) {
        return node.parse("duration", DefinitionParser::parseDuration);
    }

    /** Accepts ISO-8601 ({@code PT90S}) or a number with a unit: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}. */
    static Duration parseDuration(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.startsWith("p")) {
            return Duration.parse(t.toUpperCase(Locale.ROOT));
        }
        var m = Pattern.compile("(\\d+)(ms|s|m|h|d)").matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("use ISO-8601 (PT30S) or a number with ms, s, m, h or d");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    static <E extends Enum<E>> E enumValue(YamlNode node, Class<E> type) {
        String value = node.text();
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value)) {
                return e;
            }
        }
        List<String> allowed = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            allowed.add(e.name().toLowerCase(Locale.ROOT));
        }
        throw node.error("unknown value '" + value + "' (expected one of " + String.join(", ", allowed) + ")");
    }
}
