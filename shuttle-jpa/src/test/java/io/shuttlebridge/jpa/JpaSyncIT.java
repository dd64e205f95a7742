package io.shuttlebridge.jpa;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.Postgres;
import io.shuttlebridge.core.SqliteFiles;
import io.shuttlebridge.core.id.KSortedId;
import io.shuttlebridge.core.id.KSortedIdGenerator;
import io.shuttlebridge.core.id.KSortedIds;
import io.shuttlebridge.core.id.MillisClock;
import io.shuttlebridge.jpa.Replicas.Device;
import io.shuttlebridge.testkit.Convergence;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Entities written through Hibernate on a SQLite device reach a PostgreSQL hub over HTTP and a
 * second device, read back through Hibernate as they were written; edits and soft deletes flow
 * both ways; a hub process writes entities too; every replica ends with the same rows.
 */
class JpaSyncIT {
    static final Instant AT = Instant.parse("2025-03-04T05:06:07.123456Z");
    static final LocalDateTime LOCAL = LocalDateTime.parse("2025-03-04T08:30:00.25");
    static final LocalDate DAY = LocalDate.of(2025, 3, 4);
    static final UUID REF = UUID.fromString("1b4e28ba-2fa1-11d2-883f-0016d3cca427");

    @TempDir
    Path dir;

    @AfterEach
    void noGlobalGenerator() {
        KSortedIds.clearGlobal();
    }

    @ParameterizedTest(name = "second-level cache {0}")
    @ValueSource(booleans = {false, true})
    void entitiesWrittenOnADeviceReachTheHubAndTheOtherDevice(boolean cache) {
        try (Replicas replicas = new Replicas(dir, cache)) {
            Device a = replicas.device("a");
            Device b = replicas.device("b");
            assertThat(a.lease().shortId()).isNotEqualTo(b.lease().shortId());

            // device A, offline: a customer and two visits
            long[] ids = a.jpa().callInTransaction(em -> {
                Customer ada = new Customer("Ada", REF);
                em.persist(ada);
                Visit first = new Visit(ada, AT, LOCAL, DAY, "first");
                Visit second = new Visit(ada, AT.plusSeconds(3600), null, null, "second");
                em.persist(first);
                em.persist(second);
                return new long[] {ada.getId(), first.getId(), second.getId()};
            });
            long ada = ids[0], first = ids[1], second = ids[2];
            for (long id : ids) {
                assertThat(KSortedId.shortId(id))
                        .as("the id carries A's lease")
                        .isEqualTo(a.lease().shortId());
            }
            assertThat(a.sync().pushed()).isEqualTo(3);

            // the hub holds them in its own types, and reads them through Hibernate as written
            Map<String, Object> hubRow = Postgres.query(
                            replicas.hubUrl,
                            "SELECT scheduled_at = '2025-03-04T05:06:07.123456Z'::timestamptz AS at_ok,"
                                    + " local_start = '2025-03-04 08:30:00.25'::timestamp AS local_ok,"
                                    + " day = DATE '2025-03-04' AS day_ok, done, deleted_at FROM visit WHERE id = "
                                    + first)
                    .get(0);
            assertThat(hubRow)
                    .containsEntry("at_ok", true)
                    .containsEntry("local_ok", true)
                    .containsEntry("day_ok", true)
                    .containsEntry("done", false)
                    .containsEntry("deleted_at", null);
            assertThat(Postgres.query(replicas.hubUrl, "SELECT ref = '" + REF + "'::uuid AS ref_ok FROM customer")
                            .get(0))
                    .containsEntry("ref_ok", true);
            replicas.hubJpa.runInTransaction(em -> {
                Visit v = em.find(Visit.class, first);
                assertThat(v.getScheduledAt()).isEqualTo(AT);
                assertThat(v.getLocalStart()).isEqualTo(LOCAL);
                assertThat(v.getDay()).isEqualTo(DAY);
                assertThat(v.getCustomer().getRef()).isEqualTo(REF);
            });

            // device B pulls them and reads them through Hibernate as A wrote them
            assertThat(b.sync().applied()).isEqualTo(3);
            b.jpa().runInTransaction(em -> {
                Visit v = em.find(Visit.class, first);
                assertThat(v.getScheduledAt()).isEqualTo(AT);
                assertThat(v.getLocalStart()).isEqualTo(LOCAL);
                assertThat(v.getDay()).isEqualTo(DAY);
                assertThat(v.getNotes()).isEqualTo("first");
                assertThat(v.getVersion()).isZero();
                assertThat(v.getCustomer().getName()).isEqualTo("Ada");
                assertThat(v.getCustomer().getRef()).isEqualTo(REF);
                assertThat(v.getUpdatedAt())
                        .as("updated_at is the replica's own")
                        .isNull();
            });

            // A edits a visit B has read (and, with the cache on, cached); B sees the edit after syncing
            a.jpa().runInTransaction(em -> {
                Visit v = em.find(Visit.class, first);
                v.setNotes("first, rescheduled");
                v.setScheduledAt(AT.plusSeconds(86_400));
            });
            a.sync();
            b.sync();
            b.jpa().runInTransaction(em -> {
                Visit v = em.find(Visit.class, first);
                assertThat(v.getNotes()).isEqualTo("first, rescheduled");
                assertThat(v.getScheduledAt()).isEqualTo(AT.plusSeconds(86_400));
                assertThat(v.getVersion()).isEqualTo(1);
            });

            // B removes the second visit: a soft delete that reaches the hub and A, hidden everywhere
            b.jpa().runInTransaction(em -> em.remove(em.find(Visit.class, second)));
            assertThat(b.sync().pushed()).isEqualTo(1);
            a.sync();
            a.jpa().runInTransaction(em -> {
                assertThat(em.find(Visit.class, second)).isNull();
                assertThat(em.createQuery("SELECT v.id FROM Visit v", Long.class)
                                .getResultList())
                        .containsExactly(first);
            });
            assertThat(SqliteFiles.query(a.file(), "SELECT deleted_at FROM visit WHERE id = " + second)
                            .get(0)
                            .get("deleted_at"))
                    .as("A keeps the row, deleted")
                    .isNotNull();
            assertThat(Postgres.count(
                            replicas.hubUrl,
                            "SELECT count(*) FROM visit WHERE deleted_at IS NOT NULL AND id = " + second))
                    .isEqualTo(1);
            replicas.hubJpa.runInTransaction(em -> assertThat(em.createQuery("SELECT count(v) FROM Visit v", Long.class)
                            .getSingleResult())
                    .isEqualTo(1));

            // a hub process writes an entity too, with a short id of its own; both devices get it
            KSortedIds.setGlobal(new KSortedIdGenerator(KSortedId.MAX_SHORT_ID, MillisClock.system()));
            long hubMade = replicas.hubJpa.callInTransaction(em -> {
                Customer grace = new Customer("Grace", null);
                em.persist(grace);
                return grace.getId();
            });
            assertThat(KSortedId.shortId(hubMade)).isEqualTo(KSortedId.MAX_SHORT_ID);
            a.sync();
            b.sync();
            for (Device d : List.of(a, b)) {
                d.jpa()
                        .runInTransaction(em -> assertThat(
                                        em.find(Customer.class, hubMade).getName())
                                .isEqualTo("Grace"));
            }

            Convergence.assertConverged(replicas.hubDb, a.db(), b.db());
            assertThat(ada).isPositive();
        }
    }
}
