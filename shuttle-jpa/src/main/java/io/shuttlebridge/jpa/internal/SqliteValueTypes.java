package io.shuttlebridge.jpa.internal;

import java.sql.Types;
import org.hibernate.boot.model.TypeContributions;
import org.hibernate.boot.model.TypeContributor;
import org.hibernate.dialect.Dialect;
import org.hibernate.engine.jdbc.spi.JdbcServices;
import org.hibernate.service.ServiceRegistry;
import org.hibernate.type.SqlTypes;
import org.hibernate.type.descriptor.jdbc.spi.JdbcTypeRegistry;

/**
 * On SQLite, makes Hibernate store dates, times and UUIDs the way the sync engine carries them,
 * instead of its own SQLite mapping (milliseconds since 1970 for every date and time, 16 bytes for
 * a UUID), which a PostgreSQL hub cannot read into its {@code timestamptz}, {@code date} or {@code
 * uuid} columns and which drops microseconds:
 *
 * <ul>
 *   <li>Instant, OffsetDateTime, ZonedDateTime: ISO-8601 text in UTC, {@code
 *       2025-01-02T03:04:05.123456Z} ({@code timestamp with time zone} on PostgreSQL);
 *   <li>LocalDateTime: {@code 2025-01-02T03:04:05.123456}; LocalDate: {@code 2025-01-02}; LocalTime:
 *       {@code 03:04:05.123456};
 *   <li>UUID: its canonical text ({@code uuid} on PostgreSQL).
 * </ul>
 *
 * Other databases are left alone. Set {@value #SETTING} to {@code false} to keep Hibernate's own
 * mapping (rows written by it then do not sync to a PostgreSQL hub).
 */
public final class SqliteValueTypes implements TypeContributor {
    /** The Hibernate setting that turns this off when {@code false}. */
    public static final String SETTING = "shuttle.jpa.sqlite_value_types";

    @Override
    public void contribute(TypeContributions contributions, ServiceRegistry services) {
        Dialect dialect = services.requireService(JdbcServices.class).getDialect();
        Object setting = services.requireService(org.hibernate.engine.config.spi.ConfigurationService.class)
                .getSettings()
                .get(SETTING);
        if (!isSqlite(dialect) || (setting != null && !Boolean.parseBoolean(setting.toString()))) {
            return;
        }
        JdbcTypeRegistry registry = contributions.getTypeConfiguration().getJdbcTypeRegistry();
        IsoTextJdbcType instant =
                new IsoTextJdbcType(Types.TIMESTAMP_WITH_TIMEZONE, SqlTypes.TIMESTAMP_UTC, TemporalText.INSTANT);
        registry.addDescriptor(SqlTypes.TIMESTAMP_UTC, instant);
        registry.addDescriptor(
                SqlTypes.TIMESTAMP_WITH_TIMEZONE,
                new IsoTextJdbcType(
                        Types.TIMESTAMP_WITH_TIMEZONE, SqlTypes.TIMESTAMP_WITH_TIMEZONE, TemporalText.INSTANT));
        registry.addDescriptor(
                SqlTypes.TIMESTAMP,
                new IsoTextJdbcType(Types.TIMESTAMP, SqlTypes.TIMESTAMP, TemporalText.LOCAL_DATE_TIME));
        registry.addDescriptor(SqlTypes.DATE, new IsoTextJdbcType(Types.DATE, SqlTypes.DATE, TemporalText.LOCAL_DATE));
        registry.addDescriptor(SqlTypes.TIME, new IsoTextJdbcType(Types.TIME, SqlTypes.TIME, TemporalText.LOCAL_TIME));
        registry.addDescriptor(SqlTypes.UUID, UuidTextJdbcType.INSTANCE);
    }

    /** Whether the dialect is one for SQLite (the community dialect, or another by that name). */
    static boolean isSqlite(Dialect dialect) {
        return dialect.getClass()
                .getSimpleName()
                .toLowerCase(java.util.Locale.ROOT)
                .contains("sqlite");
    }
}
