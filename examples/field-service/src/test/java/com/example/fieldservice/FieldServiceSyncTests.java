package com.example.fieldservice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shuttlebridge.client.NodeLeases;
import io.shuttlebridge.core.id.KSortedId;
import io.shuttlebridge.core.sync.SyncReport;
import io.shuttlebridge.spring.ShuttleSync;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;

/**
 * The application in both roles at once: a hub on (embedded) PostgreSQL and two technicians' devices
 * on SQLite files, each a whole Spring Boot application on its own port, talking over real HTTP.
 * The devices sync only when told to here ({@code shuttle.sync.live=false}, a long interval), so
 * between two syncs a device is as good as offline.
 */
class FieldServiceSyncTests {
    static final String TOKEN = "a-token-for-the-tests";

    @TempDir
    static Path dir;

    static EmbeddedPostgres postgres;
    static ConfigurableApplicationContext hub;
    static ConfigurableApplicationContext deviceA;
    static ConfigurableApplicationContext deviceB;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.start();
        hub = new SpringApplicationBuilder(FieldServiceApplication.class)
                .profiles("hub")
                .run(
                        "--spring.datasource.url=" + postgres.getJdbcUrl("postgres", "postgres"),
                        "--spring.datasource.username=postgres",
                        "--spring.datasource.password=",
                        "--server.port=0",
                        "--shuttle.hub.token=" + TOKEN);
        deviceA = device("a");
        deviceB = device("b");
        // a device's first contact with its hub leases the short id its ids are made from: before it, a
        // new device cannot create rows
        sync(deviceA);
        sync(deviceB);
    }

    static ConfigurableApplicationContext device(String name) {
        return new SpringApplicationBuilder(FieldServiceApplication.class)
                .profiles("device")
                .run( // command-line arguments: they override the profile's application-device.yml
                        "--spring.datasource.url=jdbc:sqlite:" + dir.resolve(name + ".db"),
                        "--server.port=0",
                        "--shuttle.sync.hub-url=" + url(hub),
                        "--shuttle.sync.token=" + TOKEN,
                        "--shuttle.sync.live=false",
                        "--shuttle.sync.interval=1h");
    }

    @AfterAll
    static void stop() throws Exception {
        for (ConfigurableApplicationContext app : new ConfigurableApplicationContext[] {deviceB, deviceA, hub}) {
            if (app != null) {
                app.close();
            }
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void aWorkOrderCreatedOnOneDeviceReachesTheHubAndTheOtherDevice() {
        Map<?, ?> ana = api(deviceA)
                .post()
                .uri("/technicians")
                .body(Map.of("name", "Ana Ruiz", "phone", "+34 600 000 001"))
                .retrieve()
                .body(Map.class);
        Map<?, ?> created = api(deviceA)
                .post()
                .uri("/work-orders")
                .body(Map.of(
                        "title", "Replace boiler valve",
                        "site", "12 Harbour Street",
                        "dueOn", "2026-03-02",
                        "technicianId", ana.get("id")))
                .retrieve()
                .body(Map.class);
        long id = Long.parseLong((String) created.get("id"));
        assertThat(KSortedId.shortId(id))
                .as("made from device A's leased short id")
                .isEqualTo(leasedShortId(deviceA));

        sync(deviceA);

        WorkOrder atHub = workOrders(hub).findById(id).orElseThrow();
        assertThat(atHub.getTitle()).isEqualTo("Replace boiler valve");
        assertThat(atHub.getDueOn()).as("a DATE on PostgreSQL").isEqualTo(LocalDate.of(2026, 3, 2));
        assertThat(atHub.getTechnician().getId()).isEqualTo(Long.parseLong((String) ana.get("id")));

        sync(deviceB);
        assertThat(api(deviceB).get().uri("/work-orders/{id}", id).retrieve().body(Map.class))
                .containsEntry("title", "Replace boiler valve")
                .containsEntry("site", "12 Harbour Street")
                .containsEntry("dueOn", "2026-03-02")
                .containsEntry("technicianId", ana.get("id"))
                .containsEntry("status", "OPEN");
    }

    @Test
    void twoTechniciansEditingOneWorkOrderOfflineKeepTheLatestEditOfEachField() throws Exception {
        // a dispatcher creates the work order at the hub; both devices get it
        Map<?, ?> created = api(hub).post()
                .uri("/work-orders")
                .body(Map.of("title", "Inspect fire alarm", "site", "Depot 4", "dueOn", "2026-04-10"))
                .retrieve()
                .body(Map.class);
        String id = (String) created.get("id");
        sync(deviceA);
        sync(deviceB);

        // offline, A closes the job with a note; a moment later B, who has not heard, rewrites the note
        patch(deviceA, id, Map.of("status", "DONE", "notes", "Sensor 3 replaced"));
        Thread.sleep(20); // "later" is by the devices' clocks: B's edit is stamped after A's
        patch(deviceB, id, Map.of("notes", "Gate code 4521, call ahead"));

        sync(deviceA); // A's edit reaches the hub
        sync(deviceB); // B hears it, merges, and pushes its own edit
        sync(deviceA); // A hears B's

        // work_order is FIELD_LWW: the status only A changed is A's; the note both changed is B's, the later
        for (ConfigurableApplicationContext app : new ConfigurableApplicationContext[] {hub, deviceA, deviceB}) {
            assertThat(api(app).get().uri("/work-orders/{id}", id).retrieve().body(Map.class))
                    .as(app.getEnvironment().getActiveProfiles()[0] + " at " + url(app))
                    .containsEntry("status", "DONE")
                    .containsEntry("notes", "Gate code 4521, call ahead")
                    .containsEntry("title", "Inspect fire alarm");
        }
        WorkOrder a = workOrders(deviceA).findById(Long.parseLong(id)).orElseThrow();
        WorkOrder b = workOrders(deviceB).findById(Long.parseLong(id)).orElseThrow();
        WorkOrder h = workOrders(hub).findById(Long.parseLong(id)).orElseThrow();
        assertThat(a.getVersion()).isEqualTo(b.getVersion()).isEqualTo(h.getVersion());
    }

    @Test
    void aWorkOrderDeletedOnADeviceIsGoneEverywhere() {
        Map<?, ?> created = api(deviceB)
                .post()
                .uri("/work-orders")
                .body(Map.of("title", "Duplicate visit", "site", "Depot 4"))
                .retrieve()
                .body(Map.class);
        long id = Long.parseLong((String) created.get("id"));
        sync(deviceB);
        sync(deviceA);
        assertThat(workOrders(deviceA).findById(id)).isPresent();

        api(deviceA).delete().uri("/work-orders/{id}", id).retrieve().toBodilessEntity();
        sync(deviceA);
        sync(deviceB);

        assertThat(workOrders(hub).findById(id))
                .as("soft-deleted rows are hidden")
                .isEmpty();
        assertThat(workOrders(deviceB).findById(id)).isEmpty();
    }

    @Test
    void aWorkOrderWithoutASiteIsRefusedWithTheReason() {
        long before = workOrders(deviceA).count();
        assertThatThrownBy(() -> api(deviceA)
                        .post()
                        .uri("/work-orders")
                        .body(Map.of("title", "Somewhere"))
                        .retrieve()
                        .toBodilessEntity())
                .isInstanceOfSatisfying(
                        HttpClientErrorException.BadRequest.class,
                        e -> assertThat(e.getResponseBodyAsString()).contains("a work order needs a title and a site"));
        assertThat(workOrders(deviceA).count()).isEqualTo(before);
    }

    static SyncReport sync(ConfigurableApplicationContext device) {
        return device.getBean(ShuttleSync.class).sync();
    }

    static int leasedShortId(ConfigurableApplicationContext device) {
        ShuttleSync sync = device.getBean(ShuttleSync.class);
        return NodeLeases.show(sync.engine().database()).lease().orElseThrow().shortId();
    }

    static WorkOrderRepository workOrders(ConfigurableApplicationContext app) {
        return app.getBean(WorkOrderRepository.class);
    }

    static void patch(ConfigurableApplicationContext app, String id, Map<String, String> change) {
        api(app).patch().uri("/work-orders/{id}", id).body(change).retrieve().toBodilessEntity();
    }

    static RestClient api(ConfigurableApplicationContext app) {
        return RestClient.create(url(app));
    }

    static String url(ConfigurableApplicationContext app) {
        return "http://127.0.0.1:"
                + ((WebServerApplicationContext) app).getWebServer().getPort();
    }
}
