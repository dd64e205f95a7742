package io.shuttlebridge.jpa.internal;

import io.shuttlebridge.jpa.SyncEntity;
import java.util.List;
import java.util.stream.Collectors;
import org.hibernate.MappingException;
import org.hibernate.boot.Metadata;
import org.hibernate.boot.spi.BootstrapContext;
import org.hibernate.dialect.Dialect;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.integrator.spi.Integrator;
import org.hibernate.jdbc.Expectation;
import org.hibernate.mapping.Column;
import org.hibernate.mapping.JoinedSubclass;
import org.hibernate.mapping.PersistentClass;
import org.hibernate.mapping.Value;

/**
 * Turns the delete of every {@link SyncEntity} into a soft delete, as the session factory starts:
 * its SQL becomes {@code UPDATE t SET deleted_at = <now>, updated_at = <now>, version = version + 1
 * WHERE id = ? AND version = ?}, with the table and column names Hibernate mapped. The delete is
 * then an update of a replicated column, captured and synced like any other, and hidden by the
 * entity's {@code deleted_at IS NULL} restriction. An entity that declares its own {@code
 * @SQLDelete} keeps it.
 *
 * <p>The time is the database's, in the form the engine carries timestamps in: on SQLite an
 * ISO-8601 text in UTC ({@code 2025-01-02T03:04:05.123Z}, what {@link SqliteValueTypes} reads and
 * writes), elsewhere the dialect's current timestamp.
 */
public final class SoftDeletes implements Integrator {
    @Override
    public void integrate(Metadata metadata, BootstrapContext bootstrapContext, SessionFactoryImplementor factory) {
        Dialect dialect = metadata.getDatabase().getDialect();
        for (PersistentClass entity : metadata.getEntityBindings()) {
            Class<?> type = entity.getMappedClass();
            if (type == null || !SyncEntity.class.isAssignableFrom(type) || entity.getCustomSQLDelete() != null) {
                continue;
            }
            if (entity instanceof JoinedSubclass) {
                throw new MappingException("Entity " + entity.getEntityName() + " extends SyncEntity in a JOINED"
                        + " inheritance hierarchy, which its soft delete does not support: use SINGLE_TABLE or"
                        + " TABLE_PER_CLASS inheritance");
            }
            String table = entity.getTable().getQualifiedName(factory.getSqlStringGenerationContext());
            entity.setCustomSQLDelete(softDelete(dialect, table, entity), false, null);
            entity.setDeleteExpectation(Expectation.RowCount::new);
        }
    }

    static String softDelete(Dialect dialect, String table, PersistentClass entity) {
        String now = now(dialect);
        String id = columns(dialect, entity.getIdentifier()).stream()
                .map(c -> c + " = ?")
                .collect(Collectors.joining(" AND "));
        String version = columns(dialect, entity.getVersion().getValue()).get(0);
        return "UPDATE " + table + " SET " + column(dialect, entity, "deletedAt") + " = " + now + ", "
                + column(dialect, entity, "updatedAt") + " = " + now + ", " + version + " = " + version + " + 1"
                + " WHERE " + id + " AND " + version + " = ?";
    }

    /**
     * The current time as SQL: on SQLite ISO-8601 text in UTC to the millisecond, with the trailing
     * zeros of the fraction dropped as Java's {@code ISO_OFFSET_DATE_TIME} drops them (so the text is
     * the one a round trip through a PostgreSQL hub gives back); the dialect's current timestamp
     * elsewhere.
     */
    static String now(Dialect dialect) {
        return SqliteValueTypes.isSqlite(dialect)
                ? "rtrim(rtrim(strftime('%Y-%m-%dT%H:%M:%f', 'now'), '0'), '.') || 'Z'"
                : dialect.currentTimestamp();
    }

    private static String column(Dialect dialect, PersistentClass entity, String property) {
        return columns(dialect, entity.getProperty(property).getValue()).get(0);
    }

    private static List<String> columns(Dialect dialect, Value value) {
        return value.getColumns().stream()
                .map((Column c) -> c.getQuotedName(dialect))
                .toList();
    }
}
