package io.shuttlebridge.jpa.internal;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.id.KSortedIdGenerator;
import io.shuttlebridge.core.id.KSortedIds;
import io.shuttlebridge.jpa.SyncId;
import java.lang.reflect.Member;
import java.sql.Connection;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import org.hibernate.MappingException;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.generator.BeforeExecutionGenerator;
import org.hibernate.generator.EventType;
import org.hibernate.generator.EventTypeSets;
import org.hibernate.generator.GeneratorCreationContext;

/**
 * The Hibernate generator behind {@link SyncId}: one per entity and session factory. It finds the
 * generator of the database the session writes to once (the lease in {@code _shuttle_meta}) and
 * keeps it; a database without a lease falls back on {@link KSortedIds#current()} and is read again
 * after {@link #RECHECK}, so a device that leases its short id while the application runs uses it
 * from then on.
 */
public final class SyncIdGenerator implements BeforeExecutionGenerator {
    static final Duration RECHECK = Duration.ofSeconds(5);

    private final String entity;
    private volatile KSortedIdGenerator leased;
    private volatile long nextLookup = Long.MIN_VALUE;

    /**
     * The constructor {@code @IdGeneratorType} documents, (annotation, member, context), which
     * Hibernate 7.2 (Spring Boot 4.0's) and 7.4 both look for first; 7.2 does not know the shorter
     * (annotation, context).
     */
    public SyncIdGenerator(SyncId config, Member member, GeneratorCreationContext context) {
        this.entity = context.getPersistentClass() == null
                ? String.valueOf(context.getProperty().getName())
                : context.getPersistentClass().getEntityName();
        Class<?> type = context.getType().getReturnedClass();
        if (type != Long.class && type != long.class) {
            throw new MappingException(
                    "@SyncId on " + entity + "." + context.getProperty().getName() + " needs a Long"
                            + " or long attribute (ids are 64-bit), not " + type.getName());
        }
    }

    @Override
    public Object generate(
            SharedSessionContractImplementor session, Object owner, Object currentValue, EventType eventType) {
        return generator(session).next();
    }

    @Override
    public EnumSet<EventType> getEventTypes() {
        return EventTypeSets.INSERT_ONLY;
    }

    private KSortedIdGenerator generator(SharedSessionContractImplementor session) {
        KSortedIdGenerator found = leased;
        if (found != null) {
            return found;
        }
        long now = System.nanoTime();
        if (nextLookup == Long.MIN_VALUE || now - nextLookup >= 0) {
            Connection c = session.getJdbcCoordinator().getLogicalConnection().getPhysicalConnection();
            Optional<LeasedShortId> lease = LeasedShortId.read(c);
            if (lease.isPresent()) {
                found = LeasedGenerators.of(lease.get());
                leased = found;
                return found;
            }
            nextLookup = now + RECHECK.toNanos();
        }
        try {
            return KSortedIds.current();
        } catch (ShuttleException e) {
            throw new ShuttleException(
                    ErrorCode.ID_GENERATION,
                    "Cannot make an id for a new " + entity + ": the database holds no short-id lease and no"
                            + " KSortedIds generator is configured. On a device, clone it from its hub (shuttle"
                            + " clone) or lease a short id (NodeLeases.lease) before writing; in a process without a"
                            + " lease (a hub), call KSortedIds.setGlobal(new KSortedIdGenerator(shortId, clock)) with"
                            + " a short id no device leases.",
                    e);
        }
    }
}
