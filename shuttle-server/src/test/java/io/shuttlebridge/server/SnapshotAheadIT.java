package io.shuttlebridge.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.client.DeviceClone;
import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.client.internal.SnapshotAsPull;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.sync.PullResult;
import io.shuttlebridge.core.sync.SyncEngine;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bootstrap fetches the next snapshot page while it applies one: every row arrives once, in order, however the pages are asked for. */
class SnapshotAheadIT {
    @TempDir
    Path dir;

    private static void manyCustomers(Path dir) throws Exception {
        Fixtures.sql(
                dir.resolve("hub.db"),
                "WITH RECURSIVE n(i) AS (SELECT 10 UNION ALL SELECT i + 1 FROM n WHERE i < 1242)"
                        + " INSERT INTO customer SELECT i, 'c' || i, i / 100.0, NULL FROM n");
    }

    @Test
    void aCloneOfManyPagesGetsEveryRow() throws Exception {
        try (ShuttleDatabase hubDb = Fixtures.hubDatabase(dir)) {
            manyCustomers(dir);
            try (HubServer hub = Fixtures.start(SyncEngine.open(hubDb));
                    ShuttleDatabase d = ShuttleDatabase.sqlite(dir.resolve("d.db"))) {
                List<long[]> progress = new ArrayList<>();
                DeviceClone.Result r = DeviceClone.run(
                        d, Fixtures.transport(hub), (task, done, total) -> progress.add(new long[] {done, total}));
                assertThat(r.rows()).isEqualTo(1235 + 1);
                assertThat(Fixtures.rows(dir.resolve("d.db"), "customer"))
                        .isEqualTo(Fixtures.rows(dir.resolve("hub.db"), "customer"));
                assertThat(Fixtures.rows(dir.resolve("d.db"), "orders"))
                        .isEqualTo(Fixtures.rows(dir.resolve("hub.db"), "orders"));
                assertThat(progress).hasSizeGreaterThan(10); // pages of at most 100 rows (the hub's batch limit)
                assertThat(progress).extracting(p -> p[0]).isSorted();
                assertThat(progress.get(progress.size() - 1)[0]).isEqualTo(progress.get(progress.size() - 1)[1]);
            }
        }
    }

    @Test
    void aCloneWithGzippedAnswersGetsEveryRow() throws Exception {
        try (ShuttleDatabase hubDb = Fixtures.hubDatabase(dir)) {
            manyCustomers(dir);
            try (HubServer hub = Fixtures.start(SyncEngine.open(hubDb));
                    ShuttleDatabase d = ShuttleDatabase.sqlite(dir.resolve("d.db"))) {
                HttpTransport gzip = HttpTransport.builder(hub.url())
                        .token(Fixtures.TOKEN)
                        .compression(HttpTransport.Compression.ALWAYS)
                        .build();
                DeviceClone.Result r = DeviceClone.run(d, gzip, ProgressListener.NONE);
                assertThat(r.rows()).isEqualTo(1235 + 1);
                assertThat(Fixtures.rows(dir.resolve("d.db"), "customer"))
                        .isEqualTo(Fixtures.rows(dir.resolve("hub.db"), "customer"));
            }
        }
    }

    @Test
    void answersAreGzippedUnlessTheHubIsOnLoopback() {
        HttpTransport.Compression auto = HttpTransport.Compression.AUTO;
        for (String local : List.of(
                "http://localhost:7070",
                "http://127.0.0.1:7070",
                "http://127.1.2.3",
                "http://[::1]:7070",
                "http://LOCALHOST")) {
            assertThat(auto.gzip(URI.create(local))).as(local).isFalse();
            assertThat(HttpTransport.Compression.ALWAYS.gzip(URI.create(local)))
                    .as(local)
                    .isTrue();
        }
        for (String remote : List.of(
                "http://hub.example.com", "https://10.0.0.7:7070", "http://127.example.com", "http://[2001:db8::1]")) {
            assertThat(auto.gzip(URI.create(remote))).as(remote).isTrue();
            assertThat(HttpTransport.Compression.NEVER.gzip(URI.create(remote)))
                    .as(remote)
                    .isFalse();
        }
    }

    @Test
    void aPageFetchedAheadIsUsedOnlyWhenThatPageIsAskedFor() throws Exception {
        try (ShuttleDatabase hubDb = Fixtures.hubDatabase(dir)) {
            manyCustomers(dir);
            try (HubServer hub = Fixtures.start(SyncEngine.open(hubDb))) {
                HttpTransport http = Fixtures.transport(hub);
                String node = UUID.randomUUID().toString();
                try (SnapshotAsPull s = new SnapshotAsPull(http, ProgressListener.NONE)) {
                    PullResult first = s.pull(node, 0, 100); // the page after it is now on its way
                    PullResult again = s.pull(node, 0, 100); // not that page: fetched anew
                    assertThat(keys(again)).isEqualTo(keys(first)).hasSize(100);
                    PullResult second = s.pull(node, first.next(), 100);
                    PullResult direct = http.snapshot(node, first.next(), 100);
                    assertThat(keys(second)).isEqualTo(keys(direct)).doesNotContainAnyElementsOf(keys(first));
                    PullResult smaller = s.pull(node, second.next(), 10); // another size: fetched anew
                    assertThat(keys(smaller)).isEqualTo(keys(http.snapshot(node, second.next(), 10)));
                    List<Object> all = new ArrayList<>(keys(first));
                    all.addAll(keys(second));
                    long next = second.next();
                    PullResult p;
                    do {
                        p = s.pull(node, next, 100);
                        all.addAll(keys(p));
                        next = p.next();
                    } while (p.more());
                    assertThat(all).hasSize(1235 + 1).doesNotHaveDuplicates();
                    assertThat(s.rows()).isEqualTo(100 + 100 + 100 + 10 + (all.size() - 200));
                }
            }
        }
    }

    @Test
    void theFirstPageIsSmallSoThatApplyingStartsWhileTheHubReadsTheNext() throws Exception {
        try (ShuttleDatabase hubDb = Fixtures.hubDatabase(dir)) {
            manyCustomers(dir);
            try (HubServer hub = HubServer.builder(SyncEngine.open(hubDb))
                    .host("127.0.0.1")
                    .port(0)
                    .token(Fixtures.TOKEN)
                    .maxBatch(10_000)
                    .start()) {
                HttpTransport http = Fixtures.transport(hub);
                String node = UUID.randomUUID().toString();
                try (SnapshotAsPull s = new SnapshotAsPull(http, ProgressListener.NONE)) {
                    PullResult first = s.pull(node, 0, 10_000);
                    assertThat(first.changes()).hasSize(1000);
                    assertThat(first.more()).isTrue();
                    PullResult rest = s.pull(node, first.next(), 10_000); // the page fetched ahead, at full size
                    assertThat(rest.more()).isFalse();
                    List<Object> all = new ArrayList<>(keys(first));
                    all.addAll(keys(rest));
                    assertThat(all).hasSize(1235 + 1).doesNotHaveDuplicates();
                }
            }
        }
    }

    private static List<Object> keys(PullResult page) {
        return page.changes().stream().map(c -> (Object) (c.table() + c.key())).toList();
    }
}
