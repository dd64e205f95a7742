package io.shuttlebridge.jpa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shuttlebridge.core.id.KSortedIdGenerator;
import io.shuttlebridge.core.id.KSortedIds;
import io.shuttlebridge.core.id.MillisClock;
import jakarta.persistence.EntityManagerFactory;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a reference to a soft-deleted row does: docs/jpa.md says so under "Limits". */
class SoftDeleteReferenceIT {
    @TempDir
    Path dir;

    @AfterEach
    void noGlobalGenerator() {
        KSortedIds.clearGlobal();
    }

    @Test
    void aReferenceToASoftDeletedRowDoesNotLoad() {
        KSortedIds.setGlobal(new KSortedIdGenerator(3, MillisClock.system()));
        try (EntityManagerFactory emf = Jpa.sqlite(dir.resolve("d.db")).start()) {
            long[] ids = emf.callInTransaction(em -> {
                Customer c = new Customer("Ada", null);
                em.persist(c);
                Visit v = new Visit(c, Instant.now(), null, null, null);
                em.persist(v);
                return new long[] {c.getId(), v.getId()};
            });
            emf.runInTransaction(em -> em.remove(em.find(Customer.class, ids[0])));
            assertThatThrownBy(() -> emf.runInTransaction(
                            em -> em.find(Visit.class, ids[1]).getCustomer().getName()))
                    .isInstanceOf(jakarta.persistence.EntityNotFoundException.class);
            emf.runInTransaction(em -> {
                assertThat(em.createQuery("SELECT count(c) FROM Customer c", Long.class)
                                .getSingleResult())
                        .isZero();
                assertThat(em.createQuery("SELECT c.name FROM Visit v JOIN v.customer c", String.class)
                                .getResultList())
                        .as("a join to it finds nothing")
                        .isEmpty();
            });
        }
    }
}
