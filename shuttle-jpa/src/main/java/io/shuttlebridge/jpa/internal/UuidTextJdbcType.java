package io.shuttlebridge.jpa.internal;

import org.hibernate.type.SqlTypes;
import org.hibernate.type.descriptor.jdbc.VarcharUUIDJdbcType;

/**
 * A UUID as its canonical text, in a column Hibernate creates as {@code varchar} (SQLite has no
 * type of its own for UUIDs, and a text column keeps the text as it is).
 */
final class UuidTextJdbcType extends VarcharUUIDJdbcType {
    private static final long serialVersionUID = 1L;

    static final UuidTextJdbcType INSTANCE = new UuidTextJdbcType();

    @Override
    public int getDdlTypeCode() {
        return SqlTypes.VARCHAR;
    }

    @Override
    public String toString() {
        return "UuidTextJdbcType";
    }
}
