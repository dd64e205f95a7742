package io.shuttlebridge.bridge.internal.source;

import io.shuttlebridge.bridge.definition.EntityDefinition;
import io.shuttlebridge.bridge.definition.FieldSpec;
import java.math.BigDecimal;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/** Where the declared fields, the row version and the tombstone flag sit in a source record. */
record FieldLayout(List<String> names, int rowversion, int deleted) {

    static FieldLayout of(EntityDefinition entity) {
        List<String> names = entity.fields().stream().map(FieldSpec::name).toList();
        String rv = entity.source().rowversion();
        String del = entity.source().deletedFlag();
        return new FieldLayout(names, rv == null ? -1 : names.indexOf(rv), del == null ? -1 : names.indexOf(del));
    }

    int size() {
        return names.size();
    }

    String rowversionOf(Object[] values) {
        return rowversion < 0 ? null : text(values[rowversion]);
    }

    boolean tombstoneOf(Object[] values) {
        if (deleted < 0 || values[deleted] == null) {
            return false;
        }
        return switch (values[deleted]) {
            case Boolean b -> b;
            case Number n -> n.intValue() != 0;
            default ->
                switch (values[deleted].toString().strip().toLowerCase(Locale.ROOT)) {
                    case "true", "t", "1", "yes", "y" -> true;
                    default -> false;
                };
        };
    }

    static String text(Object v) {
        return switch (v) {
            case null -> null;
            case byte[] bytes -> HexFormat.of().formatHex(bytes);
            case BigDecimal d -> d.toPlainString();
            default -> v.toString().strip();
        };
    }
}
