package io.shuttlebridge.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.shuttlebridge.bridge.definition.PipelineDefinition;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The HTTP sink against a receiver on loopback: payloads, bearer token, retries on 5xx and network errors, none on 4xx. */
@ParameterizedClass
@EnumSource(TestDb.Kind.class)
class HttpSinkIT {
    static final String YAML = """
            entities:
              - name: items
                table: item
                source: {type: csv, path: items.csv}
                fields: {id: integer, name: string, price: {type: decimal, scale: 2}, since: date}
                mappings:
                  - {target: id, source: id}
                  - {target: name, source: name}
                  - {target: price, source: price}
                  - {target: since, source: since}
                keys: [id]
                batch_size: 2
                sink: {type: http, url: "%s", token: "${SINK_TOKEN}", max_retries: 2}
            """;

    @Parameter
    TestDb.Kind kind;

    @TempDir
    Path dir;

    TestDb db;
    HttpServer server;
    final List<JsonNode> received = new CopyOnWriteArrayList<>();
    final List<String> auth = new CopyOnWriteArrayList<>();
    final List<String> bodies = new CopyOnWriteArrayList<>();
    final ConcurrentLinkedQueue<Integer> answers = new ConcurrentLinkedQueue<>();
    final List<Duration> sleeps = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        db = kind.create(dir, "target.db");
        db.exec("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT, price TEXT, since TEXT)");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/push", ex -> {
            try (ex) {
                byte[] body = ex.getRequestBody().readAllBytes();
                auth.add(ex.getRequestHeaders().getFirst("Authorization"));
                Integer status = answers.poll();
                int code = status == null ? 200 : status;
                if (code == 200) {
                    bodies.add(new String(body, StandardCharsets.UTF_8));
                    received.add(new ObjectMapper()
                            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                            .readTree(body));
                }
                ex.sendResponseHeaders(code, -1);
            }
        });
        server.start();
    }

    @AfterEach
    void tearDown() {
        server.stop(0);
    }

    BridgeService bridge(String url) {
        return BridgeService.builder()
                .target(db.target())
                .retrySleeper(sleeps::add)
                .definition(PipelineDefinition.parse(YAML.formatted(url), Map.of("SINK_TOKEN", "s3cret"), dir))
                .build();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/push";
    }

    void csv(String... rows) throws IOException {
        Files.writeString(dir.resolve("items.csv"), "id,name,price,since\n" + String.join("\n", rows) + "\n");
    }

    @Test
    void postsEachChunkWithTokenAndRetriesServerErrors() throws IOException {
        csv("1,Apple,1.5,2024-01-31", "2,Pear,0.99,2024-02-01", "3,Plum,12,2024-02-02");
        answers.add(503);
        answers.add(500);
        try (BridgeService b = bridge(url())) {
            BatchReport first = b.run("items");
            assertThat(first.outcome()).isEqualTo(BatchOutcome.SUCCEEDED);
            assertThat(sleeps).as("two retries with growing backoff").hasSize(2);
            assertThat(sleeps.get(1)).isGreaterThan(sleeps.get(0));
            assertThat(auth).allMatch("Bearer s3cret"::equals);
            assertThat(received).hasSize(2); // chunks of two
            JsonNode apple = received.get(0).get("rows").get(0);
            assertThat(received.get(0).get("entity").asText()).isEqualTo("items");
            assertThat(received.get(0).get("table").asText()).isEqualTo("item");
            assertThat(apple.get("op").asText()).isEqualTo("insert");
            assertThat(apple.get("key").get("id").asLong()).isEqualTo(1);
            assertThat(apple.get("values").get("price").isBigDecimal())
                    .as("an exact JSON number")
                    .isTrue();
            assertThat(apple.get("values").get("price").decimalValue()).isEqualByComparingTo("1.50");
            assertThat(bodies.get(0)).as("exact, with its scale").contains("\"price\":1.50,");
            assertThat(apple.get("values").get("since").asText()).isEqualTo("2024-01-31");

            received.clear();
            csv("1,Apple,1.75,2024-01-31", "3,Plum,12,2024-02-02");
            BatchReport second = b.run("items");
            assertThat(second.counts().updated()).isEqualTo(1);
            assertThat(second.counts().deleted()).isEqualTo(1);
            List<String> ops = received.stream()
                    .flatMap(n -> n.get("rows").valueStream())
                    .map(r ->
                            r.get("op").asText() + ":" + r.get("key").get("id").asLong())
                    .toList();
            assertThat(ops).containsExactly("update:1", "delete:2");
            assertThat(received.stream()
                            .flatMap(n -> n.get("rows").valueStream())
                            .filter(r -> r.get("op").asText().equals("delete"))
                            .findFirst()
                            .orElseThrow()
                            .has("values"))
                    .isFalse();
        }
    }

    @Test
    void clientErrorsAreNotRetriedAndTheChunkIsSentAgainByTheNextRun() throws IOException {
        csv("1,Apple,1.5,2024-01-31", "2,Pear,0.99,2024-02-01", "3,Plum,12,2024-02-02");
        answers.add(200);
        answers.add(422);
        try (BridgeService b = bridge(url())) {
            BatchReport failed = b.run("items");
            assertThat(failed.outcome()).isEqualTo(BatchOutcome.FAILED);
            assertThat(failed.error()).contains("HTTP 422");
            assertThat(sleeps).as("a 4xx is never retried").isEmpty();
            assertThat(auth).hasSize(2);
            assertThat(db.count("SELECT COUNT(*) FROM item"))
                    .as("the refused chunk was rolled back")
                    .isEqualTo(2);

            BatchReport resumed = b.run("items");
            assertThat(resumed.outcome()).isEqualTo(BatchOutcome.SUCCEEDED);
            assertThat(db.count("SELECT COUNT(*) FROM item")).isEqualTo(3);
            assertThat(received).hasSize(2);
            assertThat(received.get(1).get("rows").get(0).get("key").get("id").asLong())
                    .isEqualTo(3);
        }
    }

    @Test
    void networkErrorsAreRetriedThenFailTheBatch() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        csv("1,Apple,1.5,2024-01-31");
        try (BridgeService b = bridge("http://127.0.0.1:" + closedPort + "/push")) {
            BatchReport failed = b.run("items");
            assertThat(failed.outcome()).isEqualTo(BatchOutcome.FAILED);
            assertThat(failed.error()).contains("failed after 3 attempts");
            assertThat(sleeps).hasSize(2);
            assertThat(db.count("SELECT COUNT(*) FROM item")).isZero();
        }
    }
}
