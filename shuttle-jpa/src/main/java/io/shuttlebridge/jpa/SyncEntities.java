package io.shuttlebridge.jpa;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.capture.CaptureOptions;
import io.shuttlebridge.core.sync.SyncEngine;
import jakarta.persistence.Cache;
import jakarta.persistence.EntityManagerFactory;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.hibernate.boot.model.naming.Identifier;
import org.hibernate.engine.jdbc.env.spi.IdentifierHelper;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.metamodel.mapping.AttributeMapping;
import org.hibernate.metamodel.mapping.SelectableMapping;
import org.hibernate.persister.entity.EntityPersister;

/**
 * What the sync engine needs to know about the {@link SyncEntity} subclasses of a persistence unit:
 * their tables, and the capture options that sync them (see {@link #captureOptions}).
 */
public final class SyncEntities {
    private SyncEntities() {}

    /**
     * The table of each {@link SyncEntity} subclass of the persistence unit (several entities of a
     * single-table hierarchy share one), with its {@code updated_at} column as Hibernate mapped it.
     */
    public record SyncTable(String table, String updatedAtColumn, Class<?> rootEntity) {}

    /**
     * The {@link SyncEntity} tables of the persistence unit, by table name, in the order Hibernate
     * lists the entities.
     *
     * @throws ShuttleException {@link ErrorCode#INVALID_ARGUMENT} if the factory is not Hibernate's
     */
    public static Map<String, SyncTable> tables(EntityManagerFactory emf) {
        SessionFactoryImplementor factory = hibernate(emf);
        IdentifierHelper names = factory.getJdbcServices().getJdbcEnvironment().getIdentifierHelper();
        Map<String, SyncTable> tables = new LinkedHashMap<>();
        factory.getMappingMetamodel().forEachEntityDescriptor(persister -> {
            if (!isSyncEntity(persister)) {
                return;
            }
            String table = stored(
                    names, unqualified(persister.getIdentifierTableMapping().getTableName()));
            tables.putIfAbsent(
                    table,
                    new SyncTable(
                            table,
                            stored(names, column(persister, "updatedAt")),
                            persister
                                    .getRootEntityDescriptor()
                                    .getMappedJavaType()
                                    .getJavaTypeClass()));
        });
        return Collections.unmodifiableMap(tables);
    }

    /**
     * The capture options that sync every {@link SyncEntity} table of the persistence unit: each
     * table named, and its {@code updated_at} column left out of replication, so that an update that
     * only touches it is no change (the engine's dirty-field rule) and each replica keeps its own.
     * Give them to {@code Capture.enable} on the hub and on every device that enables capture itself
     * (a device cloned from the hub takes the hub's); add other tables, policies or a scope column
     * through {@link CaptureOptions#toBuilder()}.
     *
     * @throws ShuttleException {@link ErrorCode#INVALID_ARGUMENT} if the persistence unit has no
     *     {@code SyncEntity}, or the factory is not Hibernate's; {@link ErrorCode#UNSUPPORTED_SCHEMA}
     *     if a table or column of theirs has an unquoted name with upper-case letters (a SQLite
     *     device would know it by another name than a PostgreSQL hub)
     */
    public static CaptureOptions captureOptions(EntityManagerFactory emf) {
        Map<String, SyncTable> tables = tables(emf);
        if (tables.isEmpty()) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT,
                    "The persistence unit has no entity that extends SyncEntity, so there is nothing to sync");
        }
        Set<String> mixedCase = mixedCaseNames(hibernate(emf));
        if (!mixedCase.isEmpty()) {
            throw new ShuttleException(
                    ErrorCode.UNSUPPORTED_SCHEMA,
                    "SyncEntity tables and columns need lower-case names, so that a SQLite device and a PostgreSQL"
                            + " hub (which folds unquoted names to lower case) know them by one name: "
                            + String.join(", ", mixedCase) + ". Name them with @Table and @Column, or set"
                            + " hibernate.physical_naming_strategy to"
                            + " org.hibernate.boot.model.naming.CamelCaseToUnderscoresNamingStrategy (Spring"
                            + " Boot's default)");
        }
        CaptureOptions.Builder b = CaptureOptions.builder().tables(java.util.List.copyOf(tables.keySet()));
        tables.values().forEach(t -> b.excludeColumn(t.table(), t.updatedAtColumn()));
        return b.build();
    }

    /**
     * An apply listener for the device's {@link SyncEngine} ({@link
     * SyncEngine.Builder#applyListener}) that evicts every {@link SyncEntity} row the engine applies
     * from the persistence unit's second-level cache, so that the application does not go on reading
     * the version it had cached. Not needed without a second-level cache.
     *
     * <p>It evicts as each change is written, inside the engine's transaction: a session that reads
     * the row between then and the commit may cache the earlier version again; evict the entity
     * classes after a sync that applied changes where that matters.
     */
    public static SyncEngine.ApplyListener evictOnApply(EntityManagerFactory emf) {
        Map<String, SyncTable> tables = tables(emf);
        Cache cache = Objects.requireNonNull(emf.getCache(), "the factory's cache");
        return change -> {
            SyncTable t = tables.get(change.table());
            if (t != null && change.key().size() == 1 && change.key().get(0) instanceof Number id) {
                cache.evict(t.rootEntity(), id.longValue());
            }
        };
    }

    /** The unquoted names with upper-case letters among the tables and columns of the SyncEntity entities. */
    private static Set<String> mixedCaseNames(SessionFactoryImplementor factory) {
        IdentifierHelper names = factory.getJdbcServices().getJdbcEnvironment().getIdentifierHelper();
        Set<String> found = new LinkedHashSet<>();
        factory.getMappingMetamodel().forEachEntityDescriptor(persister -> {
            if (!isSyncEntity(persister)) {
                return;
            }
            String table = unqualified(persister.getIdentifierTableMapping().getTableName());
            if (mixedCase(names, table)) {
                found.add("table " + table);
            }
            persister.forEachSelectable((i, column) -> {
                if (!column.isFormula() && mixedCase(names, column.getSelectionExpression())) {
                    found.add(table + "." + column.getSelectionExpression());
                }
            });
        });
        return found;
    }

    private static boolean isSyncEntity(EntityPersister persister) {
        Class<?> type = persister.getMappedClass();
        return type != null && SyncEntity.class.isAssignableFrom(type);
    }

    private static boolean mixedCase(IdentifierHelper names, String rendered) {
        Identifier id = names.toIdentifier(rendered);
        return !id.isQuoted() && !id.getText().equals(id.getText().toLowerCase(Locale.ROOT));
    }

    private static SessionFactoryImplementor hibernate(EntityManagerFactory emf) {
        Objects.requireNonNull(emf, "emf");
        try {
            return emf.unwrap(SessionFactoryImplementor.class);
        } catch (RuntimeException e) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT,
                    "SyncEntity needs Hibernate as the JPA provider; this EntityManagerFactory is a "
                            + emf.getClass().getName(),
                    e);
        }
    }

    private static String column(EntityPersister persister, String attribute) {
        AttributeMapping mapping = persister.findAttributeMapping(attribute);
        if (mapping instanceof SelectableMapping selectable) {
            return selectable.getSelectionExpression();
        }
        throw new IllegalStateException("SyncEntity." + attribute + " of " + persister.getEntityName()
                + " is not mapped to one column: " + mapping);
    }

    /** The table's own name as Hibernate renders it in SQL, without catalog or schema. */
    private static String unqualified(String name) {
        return name.substring(name.lastIndexOf('.') + 1);
    }

    /**
     * A name as the database keeps it, which is how the engine knows tables and columns: quoted
     * names as written, unquoted ones folded as the database folds them ({@code Note} is {@code
     * note} on PostgreSQL).
     */
    private static String stored(IdentifierHelper names, String rendered) {
        return names.toMetaDataObjectName(names.toIdentifier(rendered));
    }
}
