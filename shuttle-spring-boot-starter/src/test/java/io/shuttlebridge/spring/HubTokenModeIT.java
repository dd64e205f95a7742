package io.shuttlebridge.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.shuttlebridge.core.Postgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Hub mode in an application without Spring Security: the hub checks its own shared token
 * ({@code shuttle.hub.token}), over HTTP and on the stream served by Tomcat's WebSocket container.
 */
@SpringBootTest(
        classes = DeviceApp.class, // no security; the device-mode listener bean is unused here
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "shuttle.mode=hub",
            "shuttle.hub.token=" + HubTokenModeIT.TOKEN,
            "spring.flyway.locations=classpath:db/hub"
        })
class HubTokenModeIT {
    static final String TOKEN = "the-hub-apps-shared-token";

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry r) {
        String url = Postgres.freshDatabase();
        r.add("spring.datasource.url", () -> url);
    }

    @LocalServerPort
    int port;

    @Test
    void theHubChecksItsOwnTokenAndAnswersInTheProtocolsErrorForm() throws Exception {
        HttpResponse<String> none = get("/v1/schema", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(new ObjectMapper()
                        .readTree(none.body())
                        .path("error")
                        .path("code")
                        .asText())
                .isEqualTo("UNAUTHORIZED");

        assertThat(get("/v1/schema", "wrong").statusCode()).isEqualTo(401);
        assertThat(get("/v1/schema", TOKEN).statusCode()).isEqualTo(200);
        assertThat(get("/health", null).statusCode())
                .as("liveness needs no token")
                .isEqualTo(200);
    }

    @Test
    void aStreamWithTheWrongTokenIsClosedAtOnceAndOneWithTheRightTokenHearsThePosition() throws Exception {
        HubModeIT.StreamRecorder refused = new HubModeIT.StreamRecorder();
        WebSocket bad = open("wrong", refused);
        assertThat(refused.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1008);
        assertThat(refused.messages).isEmpty();
        bad.abort();

        HubModeIT.StreamRecorder heard = new HubModeIT.StreamRecorder();
        WebSocket good = open(TOKEN, heard);
        Await.until(
                "the feed's position on the stream", java.time.Duration.ofSeconds(10), () -> !heard.messages.isEmpty());
        assertThat(heard.messages.get(0)).contains("hubSeq");
        assertThat(heard.closed).isNotDone();
        good.abort();
    }

    private WebSocket open(String token, WebSocket.Listener listener) throws Exception {
        return HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .header("Authorization", "Bearer " + token)
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/v1/sync/stream"), listener)
                .get(10, TimeUnit.SECONDS);
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
