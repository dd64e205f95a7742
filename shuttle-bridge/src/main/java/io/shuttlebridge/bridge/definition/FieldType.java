package io.shuttlebridge.bridge.definition;

import java.util.Locale;

/** The type a source field is normalized to. Values keep an exact Java type, never binary floating point. */
public enum FieldType {
    /** {@link String}. */
    STRING,
    /** {@link Long}. */
    INTEGER,
    /** {@link java.math.BigDecimal}, exact. */
    DECIMAL,
    /** {@link Boolean}. */
    BOOLEAN,
    /** {@link java.time.LocalDate}. */
    DATE,
    /** {@link java.time.LocalDateTime}, a wall-clock time with no zone. */
    DATETIME,
    /** {@link java.time.Instant}, a point in time; a local input needs an explicit zone. */
    TIMESTAMP;

    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
