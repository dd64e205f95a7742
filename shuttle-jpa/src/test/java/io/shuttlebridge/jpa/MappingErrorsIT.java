package io.shuttlebridge.jpa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.capture.Capture;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Id;
import jakarta.persistence.Inheritance;
import jakarta.persistence.InheritanceType;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What goes wrong says what: no short id to make ids with, an id that is not 64-bit, an unsupported hierarchy. */
class MappingErrorsIT {
    @TempDir
    Path dir;

    @Entity(name = "Labelled")
    public static class Labelled {
        @Id
        @SyncId
        String label;
    }

    @Entity(name = "Plain")
    public static class Plain {
        @Id
        Long id;
    }

    @Entity(name = "CamelNote")
    public static class CamelNote extends SyncEntity {
        String firstLine;
    }

    @Entity(name = "Animal")
    @Inheritance(strategy = InheritanceType.JOINED)
    public abstract static class Animal extends SyncEntity {}

    @Entity(name = "Dog")
    public static class Dog extends Animal {}

    @Test
    void aDatabaseWithoutALeaseAndNoGeneratorRefusesTheInsertNamingBothWays() {
        Path file = dir.resolve("device.db");
        try (EntityManagerFactory emf = Jpa.sqlite(file).start();
                ShuttleDatabase db = ShuttleDatabase.sqlite(file)) {
            Capture.enable(db, SyncEntities.captureOptions(emf));
            assertThatThrownBy(() -> emf.runInTransaction(em -> em.persist(new Customer("Ada", null))))
                    .isInstanceOf(ShuttleException.class)
                    .hasMessageContaining("Cannot make an id for a new " + Customer.class.getName())
                    .hasMessageContaining("NodeLeases.lease")
                    .hasMessageContaining("KSortedIds.setGlobal")
                    .extracting(e -> ((ShuttleException) e).code())
                    .isEqualTo(ErrorCode.ID_GENERATION);
            emf.runInTransaction(em -> assertThat(em.createQuery("SELECT count(c) FROM Customer c", Long.class)
                            .getSingleResult())
                    .isZero());
        }
    }

    @Test
    void aSyncIdOnANon64BitAttributeIsAMappingError() {
        assertThatThrownBy(() -> Jpa.sqlite(dir.resolve("x.db"), Labelled.class).start())
                .rootCause()
                .hasMessageContaining("$Labelled.label needs a Long or long attribute")
                .hasMessageContaining("java.lang.String");
    }

    @Test
    void aJoinedHierarchyOfSyncEntitiesIsRefusedAtStart() {
        assertThatThrownBy(() ->
                        Jpa.sqlite(dir.resolve("y.db"), Animal.class, Dog.class).start())
                .rootCause()
                .hasMessageContaining("Dog")
                .hasMessageContaining("JOINED")
                .hasMessageContaining("SINGLE_TABLE");
    }

    @Test
    void capturingAPersistenceUnitWithoutSyncEntitiesIsRefused() {
        try (EntityManagerFactory emf =
                Jpa.sqlite(dir.resolve("z.db"), Plain.class).start()) {
            assertThat(SyncEntities.tables(emf)).isEmpty();
            assertThatThrownBy(() -> SyncEntities.captureOptions(emf))
                    .isInstanceOf(ShuttleException.class)
                    .hasMessageContaining("no entity that extends SyncEntity");
        }
    }

    @Test
    void mixedCaseNamesAreRefusedWithTheWayOut() {
        try (EntityManagerFactory emf =
                Jpa.sqlite(dir.resolve("m.db"), CamelNote.class).start()) {
            assertThatThrownBy(() -> SyncEntities.captureOptions(emf))
                    .isInstanceOf(ShuttleException.class)
                    .hasMessageContaining("table CamelNote, CamelNote.firstLine.")
                    .hasMessageContaining("CamelCaseToUnderscoresNamingStrategy")
                    .extracting(e -> ((ShuttleException) e).code())
                    .isEqualTo(ErrorCode.UNSUPPORTED_SCHEMA);
        }
        try (EntityManagerFactory emf = Jpa.sqlite(dir.resolve("n.db"), CamelNote.class)
                .property(
                        "hibernate.physical_naming_strategy",
                        "org.hibernate.boot.model.naming.CamelCaseToUnderscoresNamingStrategy")
                .start()) {
            assertThat(SyncEntities.captureOptions(emf).excludedColumns())
                    .isEqualTo(java.util.Map.of("camel_note", java.util.Set.of("updated_at")));
        }
    }
}
