package io.shuttlebridge.bridge.internal.normalize;

import io.shuttlebridge.bridge.definition.FieldSpec;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;

/** Layer 5: declared per-field transformations (upper, lower, collapse spaces) and decimal scale (half-even). */
final class FieldTransformations implements NormalizerLayer {
    private final FieldSpec[] fields;

    FieldTransformations(List<FieldSpec> specs) {
        fields = specs.toArray(FieldSpec[]::new);
    }

    @Override
    public String name() {
        return "field-transformations";
    }

    @Override
    public Object apply(int field, Object value) {
        FieldSpec spec = fields[field];
        if (value instanceof BigDecimal d && spec.scale() != null) {
            return d.setScale(spec.scale(), RoundingMode.HALF_EVEN);
        }
        if (!(value instanceof String s) || spec.transforms().isEmpty()) {
            return value;
        }
        for (FieldSpec.Transform t : spec.transforms()) {
            s = switch (t) {
                case UPPER -> s.toUpperCase(Locale.ROOT);
                case LOWER -> s.toLowerCase(Locale.ROOT);
                case COLLAPSE_SPACES -> s.strip().replaceAll("\\s+", " ");
            };
        }
        return s;
    }
}
