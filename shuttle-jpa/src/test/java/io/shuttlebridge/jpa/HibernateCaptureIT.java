package io.shuttlebridge.jpa;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.SqliteFiles;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.id.KSortedId;
import io.shuttlebridge.core.id.KSortedIdGenerator;
import io.shuttlebridge.core.id.KSortedIds;
import io.shuttlebridge.core.id.MillisClock;
import io.shuttlebridge.core.sync.SyncEngine;
import jakarta.persistence.EntityManagerFactory;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Writes through Hibernate (batched, with and without the second-level cache) are captured exactly
 * like the same writes made in plain SQL: two SQLite databases of one schema, one written through
 * entities, the other through JDBC statements with the same values, hold the same changes in their
 * feeds after every step (table, key, op, replicated values, version and base).
 */
class HibernateCaptureIT {
    static final Instant AT = Instant.parse("2025-03-04T05:06:07.123456Z");
    static final String AT_TEXT = "2025-03-04T05:06:07.123456Z";
    static final Instant LATER = Instant.parse("2025-03-05T09:00:00Z");
    static final String LATER_TEXT = "2025-03-05T09:00:00Z";
    static final LocalDateTime LOCAL = LocalDateTime.parse("2025-03-04T08:30:00.5");
    static final String LOCAL_TEXT = "2025-03-04T08:30:00.5";
    static final UUID REF = UUID.fromString("1b4e28ba-2fa1-11d2-883f-0016d3cca427");

    @TempDir
    Path dir;

    @AfterEach
    void noGlobalGenerator() {
        KSortedIds.clearGlobal();
    }

    @ParameterizedTest(name = "second-level cache {0}")
    @ValueSource(booleans = {false, true})
    void hibernateWritesAreCapturedLikePlainSql(boolean cache) {
        Path viaHibernate = dir.resolve("hibernate.db");
        Path viaSql = dir.resolve("sql.db");
        KSortedIds.setGlobal(new KSortedIdGenerator(7, MillisClock.system())); // no lease in these databases
        try (EntityManagerFactory emf =
                        Jpa.sqlite(viaHibernate).secondLevelCache(cache).start();
                EntityManagerFactory schemaOnly = Jpa.sqlite(viaSql).start();
                ShuttleDatabase a = ShuttleDatabase.sqlite(viaHibernate);
                ShuttleDatabase b = ShuttleDatabase.sqlite(viaSql)) {
            Capture.enable(a, SyncEntities.captureOptions(emf));
            Capture.enable(b, SyncEntities.captureOptions(schemaOnly));
            Feeds hibernateFeed = new Feeds(SyncEngine.open(a));
            Feeds sqlFeed = new Feeds(SyncEngine.open(b));
            Statistics stats = emf.unwrap(SessionFactory.class).getStatistics();

            // 1. inserts, batched: two customers and three visits in one transaction
            long[] ids = emf.callInTransaction(em -> {
                Customer ada = new Customer("Ada", REF);
                Customer grace = new Customer("Grace", null);
                em.persist(ada);
                em.persist(grace);
                Visit v1 = new Visit(ada, AT, LOCAL, LocalDate.of(2025, 3, 4), "first");
                Visit v2 = new Visit(ada, LATER, null, null, null);
                Visit v3 = new Visit(grace, AT, null, LocalDate.of(2025, 3, 6), "third");
                em.persist(v1);
                em.persist(v2);
                em.persist(v3);
                return new long[] {ada.getId(), grace.getId(), v1.getId(), v2.getId(), v3.getId()};
            });
            assertThat(stats.getEntityInsertCount()).isEqualTo(5);
            assertThat(stats.getPrepareStatementCount())
                    .as("one batched statement per table, not one per row")
                    .isEqualTo(2);
            for (long id : ids) {
                assertThat(KSortedId.shortId(id)).isEqualTo(7);
            }
            long ada = ids[0], grace = ids[1], v1 = ids[2], v2 = ids[3], v3 = ids[4];
            String stamp = "'2025-01-01T00:00:00Z'"; // updated_at: not replicated, any value
            SqliteFiles.exec(
                    viaSql,
                    "BEGIN",
                    "INSERT INTO customer (id, name, ref, updated_at, version, deleted_at) VALUES"
                            + " (" + ada + ", 'Ada', '" + REF + "', " + stamp + ", 0, NULL),"
                            + " (" + grace + ", 'Grace', NULL, " + stamp + ", 0, NULL)",
                    "INSERT INTO visit (id, customer_id, scheduled_at, local_start, day, done, notes, updated_at,"
                            + " version, deleted_at) VALUES"
                            + " (" + v1 + ", " + ada + ", '" + AT_TEXT + "', '" + LOCAL_TEXT + "', '2025-03-04', 0,"
                            + " 'first', " + stamp + ", 0, NULL),"
                            + " (" + v2 + ", " + ada + ", '" + LATER_TEXT + "', NULL, NULL, 0, NULL, " + stamp
                            + ", 0, NULL),"
                            + " (" + v3 + ", " + grace + ", '" + AT_TEXT + "', NULL, '2025-03-06', 0, 'third', "
                            + stamp + ", 0, NULL)",
                    "COMMIT");
            sameChanges(hibernateFeed, sqlFeed, 5);

            // 2. updates: a name, a visit's time and flag; a loaded entity that is not changed writes nothing
            emf.runInTransaction(em -> {
                em.find(Customer.class, ada).setName("Ada L.");
                Visit v = em.find(Visit.class, v1);
                v.setScheduledAt(LATER);
                v.setDone(true);
                em.find(Visit.class, v3);
            });
            SqliteFiles.exec(
                    viaSql,
                    "BEGIN",
                    "UPDATE customer SET name = 'Ada L.', updated_at = " + stamp + ", version = version + 1 WHERE id = "
                            + ada,
                    "UPDATE visit SET scheduled_at = '" + LATER_TEXT + "', done = 1, updated_at = " + stamp
                            + ", version = version + 1 WHERE id = " + v1,
                    "COMMIT");
            sameChanges(hibernateFeed, sqlFeed, 2);

            // 3. an update of updated_at alone is no change (the dirty-field rule), through Hibernate or not
            emf.runInTransaction(
                    em -> em.createNativeQuery("UPDATE visit SET updated_at = '2030-01-01T00:00:00Z' WHERE id = " + v2)
                            .executeUpdate());
            SqliteFiles.exec(viaSql, "UPDATE visit SET updated_at = '2030-01-01T00:00:00Z' WHERE id = " + v2);
            sameChanges(hibernateFeed, sqlFeed, 0);

            // 4. remove is a soft delete: an update of deleted_at (and version), hidden afterwards
            emf.runInTransaction(em -> em.remove(em.find(Visit.class, v2)));
            String deletedAt = (String) SqliteFiles.query(viaHibernate, "SELECT deleted_at FROM visit WHERE id = " + v2)
                    .get(0)
                    .get("deleted_at");
            assertThat(Instant.parse(deletedAt)).isBetween(Instant.now().minusSeconds(60), Instant.now());
            SqliteFiles.exec(
                    viaSql,
                    "UPDATE visit SET deleted_at = '" + deletedAt + "', updated_at = " + stamp
                            + ", version = version + 1 WHERE id = " + v2);
            sameChanges(hibernateFeed, sqlFeed, 1);
            assertThat(SqliteFiles.count(viaHibernate, "SELECT count(*) FROM visit"))
                    .as("the row is kept")
                    .isEqualTo(3);
            emf.runInTransaction(em -> {
                assertThat(em.find(Visit.class, v2)).as("find").isNull();
                assertThat(em.createQuery("SELECT v.id FROM Visit v", Long.class)
                                .getResultList())
                        .as("query")
                        .containsExactlyInAnyOrder(v1, v3);
                assertThat(em.createQuery("SELECT count(v) FROM Visit v WHERE v.customer.id = :c", Long.class)
                                .setParameter("c", ada)
                                .getSingleResult())
                        .isEqualTo(1);
            });

            // 5. what was read back through Hibernate is what was written
            emf.runInTransaction(em -> {
                Visit v = em.find(Visit.class, v1);
                assertThat(v.getScheduledAt()).isEqualTo(LATER);
                assertThat(v.getLocalStart()).isEqualTo(LOCAL);
                assertThat(v.getDay()).isEqualTo(LocalDate.of(2025, 3, 4));
                assertThat(v.isDone()).isTrue();
                assertThat(v.getVersion()).isEqualTo(1);
                assertThat(v.getUpdatedAt()).isNotNull();
                assertThat(em.find(Customer.class, ada).getRef()).isEqualTo(REF);
            });
            if (cache) {
                assertThat(stats.getSecondLevelCachePutCount())
                        .as("the cache was used")
                        .isPositive();
            } else {
                assertThat(stats.getSecondLevelCachePutCount()).isZero();
            }
            assertThat(withoutUpdatedAt(SqliteFiles.query(viaHibernate, "SELECT * FROM visit ORDER BY id")))
                    .as("the rows themselves, updated_at aside")
                    .isEqualTo(withoutUpdatedAt(SqliteFiles.query(viaSql, "SELECT * FROM visit ORDER BY id")));
        }
    }

    private static void sameChanges(Feeds hibernate, Feeds sql, int expected) {
        List<Feeds.Captured> viaHibernate = hibernate.next();
        List<Feeds.Captured> viaSql = sql.next();
        assertThat(viaHibernate).hasSize(expected);
        assertThat(viaHibernate).isEqualTo(viaSql);
    }

    private static List<Map<String, Object>> withoutUpdatedAt(List<Map<String, Object>> rows) {
        rows.forEach(r -> r.remove("updated_at"));
        return rows;
    }
}
