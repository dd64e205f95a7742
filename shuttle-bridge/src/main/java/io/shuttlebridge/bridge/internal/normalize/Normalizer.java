package io.shuttlebridge.bridge.internal.normalize;

import io.shuttlebridge.bridge.definition.EntityDefinition;
import java.util.List;

/**
 * The normalize stage: five layers in order: type coercion from source types, string cleaning,
 * numeric parsing, date/time standardization, field transformations. Each layer can be replaced.
 */
public final class Normalizer {
    private final List<NormalizerLayer> layers;

    public Normalizer(List<NormalizerLayer> layers) {
        this.layers = List.copyOf(layers);
    }

    public static Normalizer standard(EntityDefinition entity) {
        return new Normalizer(List.of(
                new TypeCoercion(entity.fields()),
                new StringCleaning(entity.cleaning()),
                new NumericParsing(entity.fields()),
                new DateTimeStandardization(entity.fields()),
                new FieldTransformations(entity.fields())));
    }

    public Object[] normalize(Object[] raw) {
        Object[] out = new Object[raw.length];
        for (int i = 0; i < raw.length; i++) {
            Object value = raw[i];
            for (NormalizerLayer layer : layers) {
                value = layer.apply(i, value);
            }
            out[i] = value;
        }
        return out;
    }
}
