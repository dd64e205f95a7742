package io.shuttlebridge.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import io.shuttlebridge.client.Backoff;
import io.shuttlebridge.client.TokenProvider;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A hub that answers 503 (its database connections all in use): the caller retries within its attempts,
 * waiting what {@code Retry-After} asks (through its sleeper, so nothing sleeps here), never less than its
 * backoff's wait and never more than a minute.
 */
class HttpCallerBusyHubTest {
    private static final String BUSY =
            "{\"error\":{\"code\":\"UNAVAILABLE\",\"message\":\"the hub is busy: retry in 1 s\"}}";

    private HttpServer server;
    /** The answers to give, in order: a Retry-After value ("none" for none), or "ok". */
    private final Deque<String> script = new ConcurrentLinkedDeque<>();

    private final AtomicInteger requests = new AtomicInteger();
    private final List<Duration> sleeps = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/schema", exchange -> {
            requests.incrementAndGet();
            String next = script.isEmpty() ? "ok" : script.poll();
            byte[] body;
            if (next.equals("ok")) {
                body = "{\"fine\":true}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
            } else {
                body = BUSY.getBytes(StandardCharsets.UTF_8);
                if (!next.equals("none")) {
                    exchange.getResponseHeaders().add("Retry-After", next);
                }
                exchange.sendResponseHeaders(503, body.length);
            }
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private HttpCaller caller(int attempts, Duration backoff) {
        return new HttpCaller(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                TokenProvider.of("t"),
                HttpClient.newHttpClient(),
                Duration.ofSeconds(10),
                new Backoff(backoff, backoff, attempts),
                sleeps::add,
                false);
    }

    @Test
    void waitsWhatRetryAfterAsksThenTriesAgain() {
        script.addAll(List.of("2", "1"));
        assertThat(caller(4, Duration.ofMillis(100))
                        .get("/v1/schema", Map.of())
                        .get("fine")
                        .asBoolean())
                .isTrue();
        assertThat(sleeps).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(1));
        assertThat(requests).hasValue(3);
    }

    @Test
    void withoutRetryAfterTheBackoffDecidesTheWait() {
        script.add("none");
        caller(2, Duration.ofMillis(100)).get("/v1/schema", Map.of());
        assertThat(sleeps).hasSize(1);
        assertThat(sleeps.get(0)).isLessThanOrEqualTo(Duration.ofMillis(100));
    }

    @Test
    void aLongWaitIsCutToAMinuteAndTheAttemptsBoundTheRetries() {
        script.addAll(List.of("3600", "3600", "3600"));
        ShuttleException e = catchThrowableOfType(
                ShuttleException.class, () -> caller(3, Duration.ofMillis(100)).get("/v1/schema", Map.of()));
        assertThat(e.code()).isEqualTo(ErrorCode.TRANSPORT);
        assertThat(e.getMessage()).contains("failed after 3 attempts", "503", "the hub is busy");
        assertThat(sleeps).containsExactly(Duration.ofSeconds(60), Duration.ofSeconds(60));
        assertThat(requests).hasValue(3);
    }

    @Test
    void aWaitShorterThanTheBackoffsIsStretchedToIt() {
        // every retry waits a jittered share of the backoff; a Retry-After of 0 does not make it hammer the hub
        for (int i = 0; i < 20; i++) {
            script.add("0");
        }
        catchThrowableOfType(
                ShuttleException.class, () -> caller(21, Duration.ofSeconds(10)).get("/v1/schema", Map.of()));
        assertThat(sleeps).hasSize(20);
        assertThat(sleeps.stream().mapToLong(Duration::toMillis).sum())
                .as("20 waits of up to 10 s each, at random")
                .isGreaterThan(10_000);
    }
}
