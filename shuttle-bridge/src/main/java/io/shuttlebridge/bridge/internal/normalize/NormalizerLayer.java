package io.shuttlebridge.bridge.internal.normalize;

/**
 * One normalization layer, applied to one field value at a time. A layer is built for one entity
 * and precomputes what it needs per field. A value it cannot handle raises
 * {@link io.shuttlebridge.bridge.internal.record.RecordRejection} naming the field.
 */
public interface NormalizerLayer {

    /** The layer's name, used as the rule in dead letters. */
    String name();

    /**
     * @param field index of the field in the entity's declared fields
     * @param value the value so far (may be null)
     */
    Object apply(int field, Object value);
}
