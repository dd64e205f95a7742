/**
 * Jakarta Persistence (Hibernate) entities that sync: {@link io.shuttlebridge.jpa.SyncEntity}, the
 * mapped superclass with a k-sorted {@code id}, a local {@code updatedAt}, {@code version} and a
 * soft-delete {@code deletedAt}; {@link io.shuttlebridge.jpa.SyncId}, its id generator for other
 * entities; and {@link io.shuttlebridge.jpa.SyncEntities}, the capture options its tables need.
 * Hibernate finds the rest itself (soft delete, and on SQLite the value forms the engine carries):
 * nothing to register.
 */
package io.shuttlebridge.jpa;
