package io.shuttlebridge.jpa;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.Postgres;
import io.shuttlebridge.core.id.KSortedId;
import io.shuttlebridge.jpa.Replicas.Device;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ids made on two devices at once, from several threads each, never collide: each carries its
 * device's leased short id, and the hub takes every row of both.
 */
class SyncIdsIT {
    static final int THREADS = 4;
    static final int TRANSACTIONS = 25;
    static final int ROWS = 100;

    @TempDir
    Path dir;

    @Test
    void idsMadeOnTwoDevicesAtOnceNeverCollide() throws Exception {
        try (Replicas replicas = new Replicas(dir, false)) {
            Device a = replicas.device("a");
            Device b = replicas.device("b");
            ExecutorService pool = Executors.newFixedThreadPool(2 * THREADS);
            List<Future<List<Long>>> work = new ArrayList<>();
            for (Device d : List.of(a, b)) {
                insert(d, 1); // the first insert reads the lease; then the threads write side by side
                for (int t = 0; t < THREADS; t++) {
                    work.add(pool.submit(() -> {
                        List<Long> ids = new ArrayList<>();
                        for (int i = 0; i < TRANSACTIONS; i++) {
                            ids.addAll(insert(d, ROWS));
                        }
                        return ids;
                    }));
                }
            }
            Set<Long> all = new HashSet<>();
            int made = 0;
            for (int i = 0; i < work.size(); i++) {
                int shortId = (i < THREADS ? a : b).lease().shortId();
                List<Long> ids = work.get(i).get();
                made += ids.size();
                all.addAll(ids);
                assertThat(ids)
                        .allSatisfy(id -> assertThat(KSortedId.shortId(id)).isEqualTo(shortId));
                assertThat(ids).as("one thread's ids increase").isSorted();
            }
            pool.shutdown();
            int expected = 2 * THREADS * TRANSACTIONS * ROWS;
            assertThat(made).isEqualTo(expected);
            assertThat(all).as("no id made twice").hasSize(expected);

            a.sync();
            b.sync();
            assertThat(Postgres.count(replicas.hubUrl, "SELECT count(*) FROM customer"))
                    .isEqualTo(expected + 2L);
        }
    }

    private static List<Long> insert(Device d, int rows) {
        return d.jpa().callInTransaction(em -> {
            List<Customer> made = new ArrayList<>();
            for (int i = 0; i < rows; i++) {
                Customer c = new Customer("c" + i, null);
                em.persist(c);
                made.add(c);
            }
            em.flush();
            return made.stream().map(Customer::getId).toList();
        });
    }
}
