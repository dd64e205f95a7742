package io.shuttlebridge.jpa.internal;

import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.temporal.Temporal;
import org.hibernate.HibernateException;
import org.hibernate.type.descriptor.ValueBinder;
import org.hibernate.type.descriptor.ValueExtractor;
import org.hibernate.type.descriptor.WrapperOptions;
import org.hibernate.type.descriptor.java.JavaType;
import org.hibernate.type.descriptor.jdbc.BasicBinder;
import org.hibernate.type.descriptor.jdbc.BasicExtractor;
import org.hibernate.type.descriptor.jdbc.JdbcLiteralFormatter;
import org.hibernate.type.descriptor.jdbc.JdbcType;

/**
 * A date or time type bound and read as {@link TemporalText ISO-8601 text}, for SQLite: what
 * Hibernate writes is then what a plain SQL write, a clone from a PostgreSQL hub and the sync engine
 * hold, and a PostgreSQL hub reads it as its column's type.
 */
final class IsoTextJdbcType implements JdbcType {
    private static final long serialVersionUID = 1L;

    private final int jdbcTypeCode;
    private final int sqlTypeCode;
    private final TemporalText text;

    /**
     * @param jdbcTypeCode the JDBC type the values are (a temporal one: Hibernate treats them as dates and times)
     * @param sqlTypeCode the code this type is registered under (Hibernate's {@code SqlTypes})
     * @param text the text form
     */
    IsoTextJdbcType(int jdbcTypeCode, int sqlTypeCode, TemporalText text) {
        this.jdbcTypeCode = jdbcTypeCode;
        this.sqlTypeCode = sqlTypeCode;
        this.text = text;
    }

    @Override
    public int getJdbcTypeCode() {
        return jdbcTypeCode;
    }

    @Override
    public int getDefaultSqlTypeCode() {
        return sqlTypeCode;
    }

    @Override
    public String getFriendlyName() {
        return text + "_AS_ISO_TEXT";
    }

    @Override
    public String toString() {
        return "IsoTextJdbcType[" + text + "]";
    }

    @Override
    public Class<?> getPreferredJavaTypeClass(WrapperOptions options) {
        return text.javaClass();
    }

    @Override
    public <T> JdbcLiteralFormatter<T> getJdbcLiteralFormatter(JavaType<T> javaType) {
        return (appender, value, dialect, options) ->
                appender.appendSql("'" + text.format(javaType.unwrap(value, text.javaClass(), options)) + "'");
    }

    @Override
    public <X> ValueBinder<X> getBinder(JavaType<X> javaType) {
        return new BasicBinder<>(javaType, this) {
            @Override
            protected void doBind(PreparedStatement st, X value, int index, WrapperOptions options)
                    throws SQLException {
                st.setString(index, text.format(javaType.unwrap(value, text.javaClass(), options)));
            }

            @Override
            protected void doBind(CallableStatement st, X value, String name, WrapperOptions options)
                    throws SQLException {
                st.setString(name, text.format(javaType.unwrap(value, text.javaClass(), options)));
            }
        };
    }

    @Override
    public <X> ValueExtractor<X> getExtractor(JavaType<X> javaType) {
        return new BasicExtractor<>(javaType, this) {
            @Override
            protected X doExtract(ResultSet rs, int paramIndex, WrapperOptions options) throws SQLException {
                return wrap(javaType, rs.getObject(paramIndex), options);
            }

            @Override
            protected X doExtract(CallableStatement statement, int index, WrapperOptions options) throws SQLException {
                return wrap(javaType, statement.getObject(index), options);
            }

            @Override
            protected X doExtract(CallableStatement statement, String name, WrapperOptions options)
                    throws SQLException {
                return wrap(javaType, statement.getObject(name), options);
            }
        };
    }

    private <X> X wrap(JavaType<X> javaType, Object stored, WrapperOptions options) {
        Temporal value;
        try {
            value = text.read(stored);
        } catch (IllegalArgumentException e) {
            throw new HibernateException("Cannot read a " + javaType.getTypeName() + ": " + e.getMessage(), e);
        }
        return javaType.wrap(value, options);
    }
}
