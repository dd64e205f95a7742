package io.shuttlebridge.bridge.internal.map;

import io.shuttlebridge.bridge.definition.EntityDefinition;
import io.shuttlebridge.bridge.definition.MappingSpec;
import io.shuttlebridge.bridge.internal.record.RecordRejection;
import io.shuttlebridge.bridge.internal.record.Stage;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/** The map stage: declared field mappings from normalized source fields to target columns. */
public final class Mapper {
    /** One compiled mapping: computes a column value from a normalized record. */
    @FunctionalInterface
    public interface ColumnMapping {
        Object value(Object[] normalized);
    }

    private final ColumnMapping[] columns;

    public Mapper(List<ColumnMapping> columns) {
        this.columns = columns.toArray(ColumnMapping[]::new);
    }

    public static Mapper of(EntityDefinition entity) {
        return new Mapper(
                entity.mappings().stream().map(m -> compile(m, entity)).toList());
    }

    public Object[] map(Object[] normalized) {
        Object[] out = new Object[columns.length];
        for (int i = 0; i < columns.length; i++) {
            out[i] = columns[i].value(normalized);
        }
        return out;
    }

    static ColumnMapping compile(MappingSpec spec, EntityDefinition entity) {
        return switch (spec) {
            case MappingSpec.Rename r -> {
                int field = entity.fieldIndex(r.source());
                Object fallback = r.defaultValue();
                yield row -> row[field] != null ? row[field] : fallback;
            }
            case MappingSpec.Constant c -> {
                Object value = c.value();
                yield row -> value;
            }
            case MappingSpec.Concat c -> {
                int[] fields = c.sources().stream().mapToInt(entity::fieldIndex).toArray();
                yield row -> concat(row, fields, c.separator(), c.defaultValue());
            }
            case MappingSpec.Lookup l -> {
                int field = entity.fieldIndex(l.source());
                yield row -> lookup(l, row[field]);
            }
        };
    }

    private static Object concat(Object[] row, int[] fields, String separator, Object fallback) {
        StringBuilder out = new StringBuilder();
        boolean any = false;
        for (int f : fields) {
            if (row[f] != null) {
                if (any) {
                    out.append(separator);
                }
                out.append(row[f] instanceof BigDecimal d ? d.toPlainString() : row[f].toString());
                any = true;
            }
        }
        return any ? out.toString() : fallback;
    }

    private static Object lookup(MappingSpec.Lookup spec, Object value) {
        if (value == null) {
            return spec.defaultValue();
        }
        String key = value instanceof BigDecimal d ? d.toPlainString() : value.toString();
        Map<String, Object> table = spec.table();
        if (table.containsKey(key)) {
            return table.get(key);
        }
        if (spec.hasDefault()) {
            return spec.defaultValue();
        }
        throw new RecordRejection(
                Stage.MAP,
                "lookup(" + spec.target() + ")",
                spec.source() + ": no lookup entry for '" + key + "' and no default");
    }
}
