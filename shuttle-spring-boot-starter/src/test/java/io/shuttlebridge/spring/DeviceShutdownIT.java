package io.shuttlebridge.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.client.TokenProvider;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.change.Change;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A device syncing every {@code interval} (not live), its token from a {@link TokenProvider} bean, and
 * an application that shuts down while a sync is running: the sync finishes before the application has
 * stopped, and none starts after.
 */
class DeviceShutdownIT {
    @TempDir
    Path dir;

    static final AtomicInteger TOKENS_ASKED = new AtomicInteger();

    @Configuration(proxyBeanMethods = false)
    static class Tokens {
        @Bean
        TokenProvider hubToken() {
            return () -> {
                TOKENS_ASKED.incrementAndGet();
                return TestHub.TOKEN;
            };
        }
    }

    @Test
    void shutdownLetsTheRunningSyncFinish() throws Exception {
        try (TestHub hub = TestHub.start(dir)) {
            ConfigurableApplicationContext app = new SpringApplicationBuilder(DeviceApp.class, Tokens.class)
                    .web(WebApplicationType.NONE)
                    .properties(
                            "shuttle.mode=device",
                            "shuttle.sync.hub-url=" + hub.url(),
                            "shuttle.sync.live=false",
                            "shuttle.sync.interval=1h",
                            "spring.datasource.url=jdbc:sqlite:" + dir.resolve("device.db"),
                            "spring.flyway.locations=classpath:db/device")
                    .run();
            ShuttleSync sync = app.getBean(ShuttleSync.class);
            assertThat(sync.status().live()).isFalse();
            sync.sync(); // the first, periodic one may have run already: this one surely has when it returns
            assertThat(TOKENS_ASKED.get())
                    .as("the TokenProvider bean gives the token")
                    .isPositive();

            CountDownLatch inSync = new CountDownLatch(1);
            AtomicBoolean listenerDone = new AtomicBoolean();
            AtomicInteger syncsEndedAfterClose = new AtomicInteger();
            AtomicBoolean closing = new AtomicBoolean();
            sync.addListener(new ShuttleSyncListener() {
                @Override
                public void applied(List<Change> changes) {
                    inSync.countDown();
                    try {
                        Thread.sleep(1500); // the application is asked to stop meanwhile
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    listenerDone.set(true);
                }

                @Override
                public void synced(io.shuttlebridge.core.sync.SyncReport report) {
                    if (closing.get()) {
                        syncsEndedAfterClose.incrementAndGet();
                    }
                }
            });
            hub.db.execute("INSERT INTO note (id, title) VALUES ('s1', 'arrives during shutdown')");
            Thread.sleep(300); // the hub sees writes made straight into its database within its watch interval
            sync.requestSync();
            sync.requestSync(); // queued behind the first: dropped by the shutdown
            assertThat(inSync.await(20, TimeUnit.SECONDS))
                    .as("a sync applying the hub's row")
                    .isTrue();

            closing.set(true);
            long started = System.nanoTime();
            app.close();
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(listenerDone)
                    .as("the sync running when shutdown began finished first")
                    .isTrue();
            assertThat(took).isGreaterThan(Duration.ofMillis(500));
            assertThat(syncsEndedAfterClose.get())
                    .as("the sync running ended; the one asked for behind it did not start")
                    .isEqualTo(1);
            try (ShuttleDatabase device = ShuttleDatabase.sqlite(dir.resolve("device.db"))) {
                assertThat(TestHub.query(device, "SELECT title FROM note WHERE id = 's1'"))
                        .as("its transaction committed")
                        .hasSize(1);
            }
        }
    }
}
