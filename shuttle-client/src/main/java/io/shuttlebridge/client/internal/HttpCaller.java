package io.shuttlebridge.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shuttlebridge.client.Backoff;
import io.shuttlebridge.client.TokenProvider;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.id.MillisClock;
import io.shuttlebridge.core.internal.protocol.Protocol;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.SSLHandshakeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One hub's HTTP calls: bearer token, gzip responses when asked for, timeouts, and retries with backoff on network
 * errors and 5xx answers; a 503 (the hub busy, its database connections all in use, or shutting down) is retried
 * after its {@code Retry-After}, at least the backoff's wait and at most {@link #MAX_RETRY_AFTER}. A 429 answer
 * (rate limited) is retried too, within the same attempts, after the {@code Retry-After} the hub asked for (the
 * backoff's wait when it named none); a hub asking for more than {@link #MAX_RETRY_AFTER} is not waited for. Any other 4xx answer is never retried: it becomes a {@link
 * ShuttleException} with the hub's error code and message. Every protocol call is idempotent, so retrying is safe.
 */
public final class HttpCaller {
    /** The longest {@code Retry-After} a call waits for; past it the call fails with {@code RATE_LIMITED} at once. */
    public static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);

    private static final Logger log = LoggerFactory.getLogger(HttpCaller.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final TokenProvider tokens;
    private final HttpClient http;
    private final Duration timeout;
    private final Backoff backoff;
    private final Backoff.Sleeper sleeper;
    private final boolean gzip;
    private final MillisClock clock;
    private volatile HubTime lastHubTime;

    /**
     * The hub's time as the last answer carrying it said ({@link Protocol#HUB_TIME_HEADER}), against this
     * device's clock.
     *
     * @param offsetMillis this device's time at the middle of the round trip minus the hub's time
     * @param roundTripMillis the round trip
     * @param atMillis this device's time when the answer came
     */
    public record HubTime(long offsetMillis, long roundTripMillis, long atMillis) {}

    public HttpCaller(
            URI base,
            TokenProvider tokens,
            HttpClient http,
            Duration timeout,
            Backoff backoff,
            Backoff.Sleeper sleeper,
            boolean gzip) {
        this(base, tokens, http, timeout, backoff, sleeper, gzip, MillisClock.system());
    }

    /** @param clock this device's clock, which the hub's time on each answer is measured against */
    public HttpCaller(
            URI base,
            TokenProvider tokens,
            HttpClient http,
            Duration timeout,
            Backoff backoff,
            Backoff.Sleeper sleeper,
            boolean gzip,
            MillisClock clock) {
        String b = base.toString();
        this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
        this.tokens = tokens;
        this.http = http;
        this.timeout = timeout;
        this.backoff = backoff;
        this.sleeper = sleeper;
        this.gzip = gzip;
        this.clock = clock;
    }

    /** The hub's time on the last answer that carried it; null before the first. */
    public HubTime lastHubTime() {
        return lastHubTime;
    }

    public URI base() {
        return base;
    }

    public HttpClient http() {
        return http;
    }

    /** The token to send now (the provider's current one), or null. */
    public String token() {
        return tokens.token();
    }

    public JsonNode get(String path, Map<String, String> headers) {
        return parse(getBytes(path, headers), "GET", base.resolve(path));
    }

    /** The answer's body as it came (unzipped), for a reader of its own; {@link #parse} reads it as a tree. */
    public byte[] getBytes(String path, Map<String, String> headers) {
        return call("GET", path, null, headers);
    }

    public JsonNode post(String path, String body) {
        return post(path, body.getBytes(StandardCharsets.UTF_8));
    }

    /** Posts a body already in UTF-8. */
    public JsonNode post(String path, byte[] body) {
        return parse(call("POST", path, body, Map.of()), "POST", base.resolve(path));
    }

    /** An answer's body (unzipped) with the headers it came with. */
    public record Answer(byte[] body, HttpHeaders headers) {
        /** A header's value, if the answer has it. */
        public Optional<String> header(String name) {
            return headers.firstValue(name);
        }
    }

    /** {@link #getBytes}, with the answer's headers. */
    public Answer getAnswer(String path, Map<String, String> headers) {
        return exchange("GET", path, null, headers);
    }

    /** Posts a body already in UTF-8 with more headers; the answer with its headers, its body unparsed. */
    public Answer postAnswer(String path, byte[] body, Map<String, String> headers) {
        return exchange("POST", path, body, headers);
    }

    private byte[] call(String method, String path, byte[] body, Map<String, String> headers) {
        return exchange(method, path, body, headers).body();
    }

    private Answer exchange(String method, String path, byte[] body, Map<String, String> headers) {
        URI uri = base.resolve(path);
        String failure = null;
        boolean refreshed = false;
        Duration asked = null; // the wait a 429 asked for
        for (int attempt = 0; attempt < backoff.attempts(); attempt++) {
            if (attempt > 0) {
                pause(asked != null ? asked : backoff.delay(attempt - 1), uri);
                asked = null;
            }
            HttpRequest.Builder req =
                    HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", Protocol.JSON);
            if (gzip) {
                req.header("Accept-Encoding", "gzip");
            }
            String token = tokens.token();
            if (token != null) {
                req.header("Authorization", "Bearer " + token);
            }
            headers.forEach(req::header);
            if (body != null) {
                req.header("Content-Type", Protocol.JSON).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
            } else {
                req.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<byte[]> res;
            long sent = clock.millis();
            try {
                res = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
                measure(res, sent, clock.millis());
            } catch (SSLHandshakeException e) {
                ShuttleException refused = TlsFailures.certificate(e, uri);
                if (refused != null) {
                    throw refused;
                }
                failure = "TLS handshake failed: " + e.getMessage();
                log.debug("{} {} failed (attempt {}): {}", method, uri, attempt + 1, failure);
                continue;
            } catch (IOException e) {
                failure = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                log.debug("{} {} failed (attempt {}): {}", method, uri, attempt + 1, failure);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ShuttleException(ErrorCode.TRANSPORT, "interrupted while calling " + method + " " + uri, e);
            }
            byte[] bytes = decode(res);
            int status = res.statusCode();
            if (status >= 200 && status < 300) {
                return new Answer(bytes, res.headers());
            }
            ShuttleException answer = answer(status, bytes, method, uri);
            if (status == 401 && !refreshed && !Objects.equals(token, tokens.token())) {
                refreshed = true; // the provider has a fresh token since: one more try with it, not counted
                attempt--;
                continue;
            }
            if (status == 429) {
                asked = retryAfter(res, attempt);
                if (asked.compareTo(MAX_RETRY_AFTER) > 0) {
                    throw new ShuttleException(
                            answer.code(),
                            answer.getMessage() + " (it asks to wait " + asked.toSeconds() + " s, more than the "
                                    + MAX_RETRY_AFTER.toSeconds() + " s a call waits)");
                }
                if (attempt + 1 >= backoff.attempts()) {
                    throw answer;
                }
                log.debug("{} {}: rate limited, retrying in {} (attempt {})", method, uri, asked, attempt + 1);
                continue;
            }
            if (status < 500) {
                throw answer;
            }
            if (status == 503) {
                asked = busyWait(res, attempt); // a busy hub says when to come back
            }
            failure = answer.getMessage();
            log.debug("{} {}: {} (attempt {})", method, uri, failure, attempt + 1);
        }
        throw new ShuttleException(
                ErrorCode.TRANSPORT,
                method + " " + uri + " failed after " + backoff.attempts() + " attempts: " + failure
                        + "; is the hub running and reachable?");
    }

    /** The wait a 429 asks for: its {@code Retry-After} in seconds or as an HTTP date, else the backoff's. */
    private Duration retryAfter(HttpResponse<?> res, int attempt) {
        Duration asked = askedWait(res);
        return asked != null ? asked : backoff.delay(attempt);
    }

    /**
     * The wait before retrying a 503 (a hub busy or going away): what its {@code Retry-After} asks, but never
     * less than the backoff's jittered wait (devices refused together do not come back together) nor more than
     * {@link #MAX_RETRY_AFTER}; the backoff's wait alone when it asks nothing.
     */
    private Duration busyWait(HttpResponse<?> res, int attempt) {
        Duration jittered = backoff.delay(attempt);
        Duration asked = askedWait(res);
        if (asked == null || asked.compareTo(jittered) < 0) {
            return jittered;
        }
        return asked.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : asked;
    }

    /** An answer's {@code Retry-After}, in seconds or as an HTTP date; null when it has none that can be read. */
    private Duration askedWait(HttpResponse<?> res) {
        String v = res.headers().firstValue("Retry-After").map(String::trim).orElse("");
        if (!v.isEmpty()) {
            try {
                return Duration.ofSeconds(Math.max(0, Long.parseLong(v)));
            } catch (NumberFormatException e) {
                try {
                    Instant at = DateTimeFormatter.RFC_1123_DATE_TIME.parse(v, Instant::from);
                    Duration d = Duration.between(clock.instant(), at);
                    return d.isNegative() ? Duration.ZERO : d;
                } catch (DateTimeParseException notADate) {
                    // neither form: wait as for any other failure
                }
            }
        }
        return null;
    }

    /** Reads the hub's time off an answer: the device's time halfway through the round trip is compared with it. */
    private void measure(HttpResponse<?> res, long sent, long received) {
        res.headers().firstValue(Protocol.HUB_TIME_HEADER).ifPresent(v -> {
            try {
                long hub = Long.parseLong(v.trim());
                lastHubTime = new HubTime(sent + (received - sent) / 2 - hub, received - sent, received);
            } catch (NumberFormatException e) {
                log.debug("{} {} is not a time in milliseconds: '{}'", res.uri(), Protocol.HUB_TIME_HEADER, v);
            }
        });
    }

    private void pause(Duration wait, URI uri) {
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ShuttleException(ErrorCode.TRANSPORT, "interrupted while waiting to retry " + uri, e);
        }
    }

    private static byte[] decode(HttpResponse<byte[]> res) {
        byte[] body = res.body();
        boolean gzip = res.headers()
                .firstValue("Content-Encoding")
                .map(v -> v.equalsIgnoreCase("gzip"))
                .orElse(false);
        if (!gzip || body.length == 0) {
            return body;
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new ShuttleException(ErrorCode.TRANSPORT, "the hub sent a corrupt gzip body: " + e.getMessage(), e);
        }
    }

    /** A successful answer's body as a JSON tree; a body that is not JSON is a transport failure. */
    public static JsonNode parse(byte[] bytes, String method, URI uri) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new ShuttleException(
                    ErrorCode.TRANSPORT,
                    method + " " + uri + " answered with a body that is not JSON: " + e.getMessage(),
                    e);
        }
    }

    private static ShuttleException answer(int status, byte[] bytes, String method, URI uri) {
        String code = null;
        String message = new String(bytes, StandardCharsets.UTF_8);
        try {
            JsonNode err = JSON.readTree(bytes).path("error");
            if (err.isObject()) {
                code = err.path("code").asText(null);
                message = err.path("message").asText(message);
            }
        } catch (IOException e) {
            // not a protocol error body (a proxy page, say): keep the raw text
        }
        ErrorCode ec = errorCode(code, status);
        return new ShuttleException(
                ec,
                "hub answered " + status + (code == null ? "" : " " + code) + " to " + method + " " + uri.getPath()
                        + ": " + message);
    }

    private static ErrorCode errorCode(String code, int status) {
        if (code != null) {
            try {
                return ErrorCode.valueOf(code);
            } catch (IllegalArgumentException e) {
                // a code from a newer hub: the status still says what kind of failure it is
            }
        }
        return ErrorCode.forHttpStatus(status);
    }
}
