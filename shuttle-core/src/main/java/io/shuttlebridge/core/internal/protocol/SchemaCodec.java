package io.shuttlebridge.core.internal.protocol;

import static io.shuttlebridge.core.internal.protocol.JsonFields.NODES;
import static io.shuttlebridge.core.internal.protocol.JsonFields.array;
import static io.shuttlebridge.core.internal.protocol.JsonFields.requireObject;
import static io.shuttlebridge.core.internal.protocol.JsonFields.strings;
import static io.shuttlebridge.core.internal.protocol.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.internal.change.ChangeCodec;
import io.shuttlebridge.core.internal.schema.Column;
import io.shuttlebridge.core.internal.schema.ColumnDefaults;
import io.shuttlebridge.core.internal.schema.ForeignKey;
import io.shuttlebridge.core.internal.schema.Table;
import io.shuttlebridge.core.protocol.HubLimits;
import java.math.BigDecimal;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The schema document ({@code GET /v1/schema}): the tables a hub syncs, and the push limits it announces. */
public final class SchemaCodec {
    private static final String MAX_CLOCK_SKEW = "maxClockSkewMs";

    private SchemaCodec() {}

    public static String write(HubSchema s) {
        return write(s, null);
    }

    /** The schema document, with the hub's push limits when given. */
    public static String write(HubSchema s, HubLimits limits) {
        return write(s, limits, null);
    }

    /**
     * The schema document, with the hub's push limits when given and, under {@code limits} as well, its
     * clock skew bound when given ({@code maxClockSkewMs}: how far ahead of the hub's clock a pushed
     * stamp may be before the hub re-stamps it).
     */
    public static String write(HubSchema s, HubLimits limits, Duration maxClockSkew) {
        ObjectNode o = NODES.objectNode();
        o.put("protocol", Protocol.VERSION);
        o.put("hubNode", s.hubNode());
        o.put("dialect", s.dialect());
        if (s.version() != 0) {
            o.put("schemaVersion", s.version());
        }
        if (limits != null) {
            ObjectNode l =
                    o.putObject("limits").put("maxBatch", limits.maxBatch()).put("maxBodyBytes", limits.maxBodyBytes());
            if (maxClockSkew != null) {
                l.put(MAX_CLOCK_SKEW, maxClockSkew.toMillis());
            }
        }
        ArrayNode tables = o.putArray("tables");
        for (HubSchema.TableSpec t : s.tables()) {
            ObjectNode tn = tables.addObject();
            tn.put("name", t.name());
            tn.put("policy", t.policy().name());
            if (t.scopeColumn() != null) {
                tn.put("scopeColumn", t.scopeColumn());
            }
            if (t.generation() != 0) {
                tn.put("generation", t.generation());
            }
            ArrayNode ex = tn.putArray("excluded");
            t.excluded().stream().sorted().forEach(ex::add);
            ArrayNode cols = tn.putArray("columns");
            for (Column c : t.table().columns()) {
                ObjectNode cn = cols.addObject()
                        .put("name", c.name())
                        .put("type", c.declaredType())
                        .put("jdbcType", c.jdbcType())
                        .put("nullable", c.nullable())
                        .put("primaryKey", c.primaryKeyPosition());
                putDefault(cn, t.defaults().get(c.name()));
                if (t.unfilled().contains(c.name())) {
                    cn.put("unfilled", true); // the hub's rows hold NULL there until it has its own hub's values
                }
            }
            ArrayNode fks = tn.putArray("foreignKeys");
            for (ForeignKey fk : t.table().foreignKeys()) {
                ObjectNode f = fks.addObject();
                fk.childColumns().forEach(f.putArray("columns")::add);
                f.put("parent", fk.parentTable());
                fk.parentColumns().forEach(f.putArray("parentColumns")::add);
            }
        }
        return ChangeCodec.toJson(o);
    }

    /** The push limits a schema document announces; {@link HubLimits#DEFAULT} when it announces none. */
    public static HubLimits limits(JsonNode schema) {
        JsonNode l = schema.path("limits");
        if (!l.path("maxBatch").canConvertToInt()
                || !l.path("maxBodyBytes").canConvertToLong()
                || l.path("maxBatch").asInt() <= 0
                || l.path("maxBodyBytes").asLong() <= 0) {
            return HubLimits.DEFAULT;
        }
        return new HubLimits(l.path("maxBatch").asInt(), l.path("maxBodyBytes").asLong());
    }

    /** The clock skew bound a schema document announces under {@code limits}; empty when it announces none. */
    public static Optional<Duration> maxClockSkew(JsonNode schema) {
        JsonNode n = schema.path("limits").path(MAX_CLOCK_SKEW);
        return n.canConvertToLong() && n.asLong() >= 0 ? Optional.of(Duration.ofMillis(n.asLong())) : Optional.empty();
    }

    /**
     * A column's {@code default}: a JSON number, string or boolean, the safe constant the hub's column
     * defaults to ({@link ColumnDefaults}); absent when it has none or another kind of default.
     */
    private static void putDefault(ObjectNode column, Object value) {
        switch (value) {
            case null -> {}
            case Boolean b -> column.put("default", b);
            case Long n -> column.put("default", n);
            case BigDecimal d -> column.put("default", d);
            case Number n -> column.put("default", new BigDecimal(n.toString()));
            default -> column.put("default", value.toString());
        }
    }

    /** A column's {@code default} as {@link #putDefault} wrote it; anything else is ignored (no default). */
    private static Optional<Object> readDefault(JsonNode d) {
        if (d == null) {
            return Optional.empty();
        }
        if (d.isBoolean()) {
            return Optional.of(d.booleanValue());
        }
        if (d.isIntegralNumber() && d.canConvertToLong()) {
            return Optional.of(d.longValue());
        }
        if (d.isNumber()) {
            return Optional.of(d.decimalValue());
        }
        if (d.isTextual()) {
            return Optional.of(d.textValue());
        }
        return Optional.empty();
    }

    public static HubSchema read(JsonNode o) {
        requireObject(o, "schema");
        List<HubSchema.TableSpec> tables = new ArrayList<>();
        for (JsonNode tn : array(o, "tables")) {
            String name = text(tn, "name");
            List<Column> cols = new ArrayList<>();
            Map<String, Object> defaults = new LinkedHashMap<>();
            Set<String> unfilled = new HashSet<>();
            for (JsonNode c : array(tn, "columns")) {
                readDefault(c.get("default")).ifPresent(v -> defaults.put(text(c, "name"), v));
                if (c.path("unfilled").asBoolean(false)) {
                    unfilled.add(text(c, "name"));
                }
                cols.add(new Column(
                        text(c, "name"),
                        c.path("type").asText(""),
                        c.path("jdbcType").asInt(Types.OTHER),
                        c.path("nullable").asBoolean(true),
                        c.path("primaryKey").asInt(0)));
            }
            List<ForeignKey> fks = new ArrayList<>();
            for (JsonNode f : array(tn, "foreignKeys")) {
                fks.add(new ForeignKey(
                        name, strings(f.get("columns")), text(f, "parent"), strings(f.get("parentColumns"))));
            }
            Set<String> excluded = new HashSet<>(strings(tn.get("excluded")));
            tables.add(new HubSchema.TableSpec(
                    new Table(name, cols, fks),
                    ConflictPolicy.parse(text(tn, "policy")),
                    excluded,
                    tn.hasNonNull("scopeColumn") ? tn.get("scopeColumn").asText() : null,
                    tn.path("generation").asLong(0),
                    defaults,
                    unfilled));
        }
        return new HubSchema(
                text(o, "hubNode"),
                text(o, "dialect"),
                tables,
                o.path("schemaVersion").asLong(0));
    }
}
