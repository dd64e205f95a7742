package io.shuttlebridge.jpa;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import io.shuttlebridge.jpa.internal.SyncIdGenerator;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import org.hibernate.annotations.IdGeneratorType;

/**
 * Generates an entity's {@code Long} id as a {@link io.shuttlebridge.core.id.KSortedId k-sorted
 * 64-bit id}, before the insert, for an {@code @Id} not inherited from {@link SyncEntity} (which
 * carries it already).
 *
 * <p>The short id in the ids is the one the database the entity is written to leased from its hub
 * ({@code shuttle clone}, {@code NodeLeases.lease}): it is read from the database at the first
 * insert, and one generator per leased short id serves every entity of the process, so ids are
 * unique across tables and devices. A database without a lease (a hub, say) uses the generator of
 * {@link io.shuttlebridge.core.id.KSortedIds#current()} (its {@code withGenerator} scope or {@code
 * setGlobal}); without either, the insert fails with {@code ID_GENERATION}, naming both ways. A
 * database that leases its short id while the application runs is looked at again at most every
 * few seconds.
 */
@IdGeneratorType(SyncIdGenerator.class)
@Retention(RUNTIME)
@Target({FIELD, METHOD})
public @interface SyncId {}
