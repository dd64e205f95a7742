package io.shuttlebridge.core.internal.schema;

import java.util.Objects;

/**
 * A column of a synced table as discovered from the database.
 *
 * @param name the column name, exactly as the database spells it
 * @param declaredType the declared type as written in the DDL (may be empty on SQLite)
 * @param jdbcType a {@link java.sql.Types} constant for the column's type family
 * @param nullable whether NULL is allowed
 * @param primaryKeyPosition 1-based position in the primary key, 0 when not part of it
 */
public record Column(String name, String declaredType, int jdbcType, boolean nullable, int primaryKeyPosition) {
    public Column {
        Objects.requireNonNull(name, "name");
        declaredType = declaredType == null ? "" : declaredType;
    }

    public boolean inPrimaryKey() {
        return primaryKeyPosition > 0;
    }
}
