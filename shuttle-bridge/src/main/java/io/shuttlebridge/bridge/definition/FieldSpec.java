package io.shuttlebridge.bridge.definition;

import java.time.ZoneId;
import java.util.List;
import java.util.Locale;

/**
 * One field read from the source and how it is normalized.
 *
 * @param name the field name in the source (CSV header, JSON property, result-set column)
 * @param type the normalized type
 * @param locale for decimals and integers given as text: grouping and decimal separators (null: plain {@code 1234.56})
 * @param formats explicit date/time patterns tried in order (empty: ISO 8601 only)
 * @param zone the zone of a local date-time input for {@link FieldType#TIMESTAMP} (null: input must carry an offset)
 * @param scale decimal scale to round to (half-even), or null to keep the scale given
 * @param transforms field transformations applied last
 */
public record FieldSpec(
        String name,
        FieldType type,
        Locale locale,
        List<String> formats,
        ZoneId zone,
        Integer scale,
        List<Transform> transforms) {

    public FieldSpec {
        formats = List.copyOf(formats);
        transforms = List.copyOf(transforms);
    }

    public static FieldSpec of(String name, FieldType type) {
        return new FieldSpec(name, type, null, List.of(), null, null, List.of());
    }

    /** Field transformations: the last normalization layer. */
    public enum Transform {
        UPPER,
        LOWER,
        /** Collapses runs of white space into one space. */
        COLLAPSE_SPACES
    }
}
