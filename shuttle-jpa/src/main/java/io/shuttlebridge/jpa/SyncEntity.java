package io.shuttlebridge.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.PrePersist;
import jakarta.persistence.PreUpdate;
import jakarta.persistence.Version;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.hibernate.annotations.SQLRestriction;

/**
 * The columns a synced entity needs, for entities to extend: nothing else about them has to change
 * for their rows to be captured and synced.
 *
 * <ul>
 *   <li>{@code id} ({@code BIGINT}): a {@link io.shuttlebridge.core.id.KSortedId k-sorted 64-bit id}
 *       made before the insert from the short id this database leased from its hub (see {@link
 *       SyncId}), so that rows made offline on different devices never share a key;
 *   <li>{@code updated_at}: when the row was last written through Hibernate <em>on this replica</em>.
 *       It is left out of replication ({@link SyncEntities#captureOptions}): an update that changes
 *       only it is no change (the engine's dirty-field rule), and rows that arrive by sync keep the
 *       value they had here (none for a row first seen through sync);
 *   <li>{@code version}: the JPA optimistic-lock version, replicated with the row, so that a change
 *       applied by sync under a loaded entity makes its next flush fail instead of overwriting it;
 *   <li>{@code deleted_at}: soft delete. {@code EntityManager.remove} (and a Spring Data {@code
 *       delete}) sets it instead of deleting the row, so the delete reaches the hub and the other
 *       devices as an ordinary update of a replicated column; rows where it is set are hidden from
 *       every query, {@code find} and association of the entity ({@code deleted_at IS NULL}).
 * </ul>
 *
 * <p>The column names are fixed ({@code id}, {@code updated_at}, {@code version}, {@code
 * deleted_at}). Subclasses are ordinary entities; inheritance inside them is single-table or table
 * per class.
 */
@MappedSuperclass
@SQLRestriction(SyncEntity.NOT_DELETED)
public abstract class SyncEntity {
    /** The restriction that hides soft-deleted rows. */
    static final String NOT_DELETED = "deleted_at IS NULL";

    @Id
    @SyncId
    @Column(name = "id", nullable = false, updatable = false)
    private Long id;

    // set by the callbacks below rather than @CurrentTimestamp, which makes the column NOT NULL: rows
    // that arrive by sync carry no updated_at
    @Column(name = "updated_at")
    private Instant updatedAt;

    @Version
    @Column(name = "version", nullable = false)
    private long version;

    @Column(name = "deleted_at")
    private Instant deletedAt;

    protected SyncEntity() {}

    @PrePersist
    @PreUpdate
    private void touch() {
        updatedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    /** The row's key; null until the entity is persisted. */
    public Long getId() {
        return id;
    }

    /** When the row was last written through Hibernate on this replica; null for a row that arrived by sync. */
    public Instant getUpdatedAt() {
        return updatedAt;
    }

    /** The optimistic-lock version: 0 for a new row, one more at each update. */
    public long getVersion() {
        return version;
    }

    /**
     * When the row was soft-deleted. Always null on an entity loaded from the database (deleted rows
     * are hidden); set on the database row by {@code EntityManager.remove}.
     */
    public Instant getDeletedAt() {
        return deletedAt;
    }
}
