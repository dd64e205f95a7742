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
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
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
 * A hub that answers 429: the caller waits what {@code Retry-After} asks (through its sleeper, so
 * nothing sleeps here) and tries again within its attempts; it does not wait for more than a minute.
 */
class HttpCallerRateLimitTest {
    private static final String LIMITED =
            "{\"error\":{\"code\":\"RATE_LIMITED\",\"message\":\"too many requests from this subject\"}}";

    private HttpServer server;
    /** The answers to give, in order: a Retry-After value (null for none), or "ok". */
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
                body = LIMITED.getBytes(StandardCharsets.UTF_8);
                if (!next.equals("none")) {
                    exchange.getResponseHeaders().add("Retry-After", next);
                }
                exchange.sendResponseHeaders(429, body.length);
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

    private HttpCaller caller(int attempts) {
        return new HttpCaller(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                TokenProvider.of("t"),
                HttpClient.newHttpClient(),
                Duration.ofSeconds(10),
                new Backoff(Duration.ofMillis(100), Duration.ofMillis(100), attempts),
                sleeps::add,
                false);
    }

    @Test
    void waitsWhatRetryAfterAsksThenTriesAgain() {
        script.addAll(List.of("2", "1"));
        assertThat(caller(4).get("/v1/schema", Map.of()).get("fine").asBoolean())
                .isTrue();
        assertThat(sleeps).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(1));
        assertThat(requests).hasValue(3);
    }

    @Test
    void anHttpDateIsReadAsTheTimeToWaitUntil() {
        script.add(DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(30)));
        caller(2).get("/v1/schema", Map.of());
        assertThat(sleeps).hasSize(1);
        assertThat(sleeps.get(0)).isBetween(Duration.ofSeconds(25), Duration.ofSeconds(30));
    }

    @Test
    void withoutRetryAfterTheBackoffDecidesTheWait() {
        script.add("none");
        caller(2).get("/v1/schema", Map.of());
        assertThat(sleeps).hasSize(1);
        assertThat(sleeps.get(0)).isLessThanOrEqualTo(Duration.ofMillis(100));
    }

    @Test
    void theAttemptsBoundTheRetriesAndTheLastAnswerIsRateLimited() {
        script.addAll(List.of("1", "1", "1", "1", "1"));
        ShuttleException e =
                catchThrowableOfType(ShuttleException.class, () -> caller(3).get("/v1/schema", Map.of()));
        assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(e.getMessage()).contains("429", "too many requests");
        assertThat(sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(1));
        assertThat(requests).hasValue(3);
    }

    @Test
    void aWaitLongerThanAMinuteIsNotWaitedFor() {
        script.add("3600");
        ShuttleException e =
                catchThrowableOfType(ShuttleException.class, () -> caller(6).get("/v1/schema", Map.of()));
        assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(e.getMessage()).contains("asks to wait 3600 s, more than the 60 s a call waits");
        assertThat(sleeps).isEmpty();
        assertThat(requests).hasValue(1);
    }
}
