package io.shuttlebridge.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shuttlebridge.bridge.BridgeService;
import io.shuttlebridge.bridge.definition.PipelineDefinition;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.capture.CaptureOptions;
import io.shuttlebridge.core.sync.SyncEngine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bridge under /v1/bridge/ on the hub: runs, batches, dead letters with retry, pending children, schedules; same token. */
class BridgeApiIT {
    private static final Path EXAMPLES = Path.of("..", "docs", "examples");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> send(HubServer hub, String method, String path, String body, boolean token)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hub.url() + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token) {
            b.header("Authorization", "Bearer " + Fixtures.TOKEN);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void bridgeEndpointsBehindTheHubsToken() throws Exception {
        Path file = dir.resolve("hub.db");
        String schema = String.join(
                "\n",
                Files.readString(EXAMPLES.resolve("schema.sql"))
                        .lines()
                        .filter(l -> !l.strip().startsWith("--"))
                        .toList());
        Fixtures.sql(
                file,
                Arrays.stream(schema.split(";"))
                        .map(String::strip)
                        .filter(s -> !s.isEmpty())
                        .toArray(String[]::new));
        for (String f : new String[] {"bridge.yaml", "customers.csv", "orders.csv"}) {
            Files.copy(EXAMPLES.resolve(f), dir.resolve(f));
        }
        try (ShuttleDatabase db = ShuttleDatabase.sqlite(file)) {
            Capture.enable(
                    db,
                    CaptureOptions.builder()
                            .tables("customer", "customer_order")
                            .build(),
                    ProgressListener.NONE);
            var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            try (BridgeService bridge = BridgeService.builder()
                            .target(file.toString())
                            .meterRegistry(registry)
                            .definition(PipelineDefinition.load(dir.resolve("bridge.yaml")))
                            .build();
                    HubServer hub = HubServer.builder(SyncEngine.open(db))
                            .host("127.0.0.1")
                            .port(0)
                            .token(Fixtures.TOKEN)
                            .meterRegistry(registry)
                            .bridge(bridge)
                            .start()) {
                assertThat(send(hub, "POST", "/v1/bridge/runs", null, false).statusCode())
                        .isEqualTo(401);

                HttpResponse<String> runs = send(hub, "POST", "/v1/bridge/runs", null, true);
                assertThat(runs.statusCode()).as(runs.body()).isEqualTo(200);
                JsonNode reports = JSON.readTree(runs.body());
                assertThat(reports).hasSize(2);
                long batchId = reports.get(0).get("id").asLong();

                assertThat(JSON.readTree(send(hub, "GET", "/v1/bridge/batches/" + batchId, null, true)
                                        .body())
                                .get("entity")
                                .asText())
                        .isEqualTo("customers");
                assertThat(JSON.readTree(send(hub, "GET", "/v1/bridge/batches?entity=customers&limit=5", null, true)
                                .body()))
                        .hasSize(1);
                assertThat(send(hub, "GET", "/v1/bridge/entities/customers", null, true)
                                .statusCode())
                        .isEqualTo(200);

                JsonNode letters =
                        JSON.readTree(send(hub, "GET", "/v1/bridge/dead-letters?entity=customers", null, true)
                                .body());
                assertThat(letters).hasSize(1);
                long letter = letters.get(0).get("id").asLong();
                assertThat(JSON.readTree(send(hub, "GET", "/v1/bridge/dead-letters/" + letter, null, true)
                                        .body())
                                .get("error")
                                .asText())
                        .contains("does not match");
                HttpResponse<String> retry =
                        send(hub, "POST", "/v1/bridge/dead-letters/retry", "{\"ids\": [" + letter + "]}", true);
                assertThat(retry.statusCode()).isEqualTo(200);
                assertThat(JSON.readTree(retry.body()).get("failed")).hasSize(1); // the data is still bad

                assertThat(JSON.readTree(send(hub, "GET", "/v1/bridge/pending?entity=orders", null, true)
                                .body()))
                        .hasSize(1);
                assertThat(send(hub, "GET", "/v1/bridge/schedules", null, true).statusCode())
                        .isEqualTo(200);
                assertThat(send(hub, "POST", "/v1/bridge/schedules/customers/trigger", null, true)
                                .statusCode())
                        .isEqualTo(200);

                String metrics = send(hub, "GET", "/metrics", null, true).body();
                assertThat(metrics).contains("shuttle_changes_pushed").contains("bridge");

                HttpResponse<String> unknown = send(hub, "GET", "/v1/bridge/entities/nope", null, true);
                assertThat(unknown.statusCode()).isEqualTo(404);
                assertThat(unknown.body()).contains("no Bridge entity \\\"nope\\\"");
                assertThat(send(hub, "POST", "/v1/bridge/dead-letters/retry", "{\"ids\": \"x\"}", true)
                                .statusCode())
                        .isEqualTo(400);
                assertThat(send(hub, "GET", "/v1/bridge/batches/abc", null, true)
                                .statusCode())
                        .isEqualTo(400);
            }
        }
    }
}
