package io.shuttlebridge.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.protocol.Lease;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.server.internal.LeaseStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Short-id leases: stable per device key, renewal, expiry and reuse, the 1024 limit, no id shared under concurrency. */
class LeaseIT {
    @TempDir
    Path dir;

    @Test
    void sameKeySameIdRenewalMovesExpiryExpiredIdsAreReusedAndTheLimitIsClear() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2025-06-01T00:00:00Z"));
        try (ShuttleDatabase db = Fixtures.hubDatabase(dir)) {
            LeaseStore store = new LeaseStore(db, clock, Duration.ofHours(1));
            String node = UUID.randomUUID().toString();
            Lease a = store.lease("device-a", node);
            assertThat(a.shortId()).isZero();
            clock.advance(Duration.ofMinutes(30));
            Lease renewed = store.lease("device-a", node);
            assertThat(renewed.shortId()).isZero();
            assertThat(renewed.leaseExpiresAt()).isAfter(a.leaseExpiresAt());
            for (int i = 1; i < LeaseStore.MAX_IDS; i++) {
                assertThat(store.lease("device-" + i, node).shortId()).isEqualTo(i);
            }
            assertThatThrownBy(() -> store.lease("one-too-many", node))
                    .isInstanceOf(ShuttleException.class)
                    .hasMessageContaining("all 1024 short ids are leased")
                    .extracting(e -> ((ShuttleException) e).code())
                    .isEqualTo(ErrorCode.RESOURCE_EXHAUSTED);
            clock.advance(Duration.ofMinutes(45));
            store.lease("device-a", node); // renewed: holds 0 past the others' expiry
            clock.advance(Duration.ofMinutes(20)); // device-1..1023 expired
            Lease reused = store.lease("newcomer", node);
            assertThat(reused.shortId()).isBetween(1, 1023);
            assertThat(store.lease("device-a", node).shortId()).isZero();
            assertThatThrownBy(() -> store.lease("", node)).hasMessageContaining("deviceKey");
        }
    }

    @Test
    void concurrentLeasesOverHttpNeverShareAnIdAndLimitAnswers409() throws Exception {
        try (ShuttleDatabase db = Fixtures.hubDatabase(dir);
                HubServer hub = Fixtures.start(SyncEngine.open(db))) {
            HttpTransport http = Fixtures.transport(hub);
            List<Callable<Lease>> calls = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String key = "key-" + (i % 100); // every key asks twice, at the same time
                calls.add(() -> http.lease(key, UUID.randomUUID().toString()));
            }
            ExecutorService pool = Executors.newFixedThreadPool(16);
            List<Lease> leases = new ArrayList<>();
            for (Future<Lease> f : pool.invokeAll(calls)) {
                leases.add(f.get());
            }
            pool.shutdown();
            Set<Integer> ids = new HashSet<>();
            leases.forEach(l -> ids.add(l.shortId()));
            assertThat(ids).hasSize(100);
            for (int i = 0; i < 100; i++) {
                assertThat(leases.get(i).shortId())
                        .as("key-" + i + " twice")
                        .isEqualTo(leases.get(i + 100).shortId());
            }
            for (int i = 100; i < LeaseStore.MAX_IDS; i++) {
                http.lease("key-" + i, UUID.randomUUID().toString());
            }
            assertThatThrownBy(() -> http.lease("key-extra", UUID.randomUUID().toString()))
                    .hasMessageContaining("409")
                    .hasMessageContaining("RESOURCE_EXHAUSTED");
        }
    }

    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
