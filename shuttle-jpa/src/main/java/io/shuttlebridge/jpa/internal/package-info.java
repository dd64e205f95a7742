/**
 * The Hibernate side of {@link io.shuttlebridge.jpa}: the id generator, the soft delete, and the
 * SQLite value types, found by Hibernate through {@code META-INF/services}. Not API.
 */
package io.shuttlebridge.jpa.internal;
