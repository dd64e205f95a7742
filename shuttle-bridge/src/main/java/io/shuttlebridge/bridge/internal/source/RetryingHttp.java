package io.shuttlebridge.bridge.internal.source;

import io.shuttlebridge.bridge.Sleeper;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * HTTP calls with a bearer token and rate-limit aware retries: 429 (when enabled) and 503 wait for
 * Retry-After (seconds or an HTTP date) when given, other 5xx and I/O errors back off exponentially
 * (200 ms doubling, at most 30 s); other 4xx fail at once. Gives up after {@code maxRetries} retries
 * with a message naming the last status.
 */
public final class RetryingHttp {
    private static final Duration MAX_WAIT = Duration.ofMinutes(5);

    private final HttpClient client;
    private final String token;
    private final int maxRetries;
    private final Duration timeout;
    private final Sleeper sleeper;
    private final Clock clock;
    private final AtomicLong retries = new AtomicLong();
    private final String role;
    private final boolean retryTooManyRequests;

    public RetryingHttp(String token, int maxRetries, Duration timeout, Sleeper sleeper, Clock clock) {
        this("source", token, maxRetries, timeout, sleeper, clock, true);
    }

    /**
     * @param role what is called, for messages ({@code source}, {@code sink})
     * @param retryTooManyRequests whether 429 is retried (after Retry-After); when false every 4xx fails at once
     */
    public RetryingHttp(
            String role,
            String token,
            int maxRetries,
            Duration timeout,
            Sleeper sleeper,
            Clock clock,
            boolean retryTooManyRequests) {
        this.role = role;
        this.retryTooManyRequests = retryTooManyRequests;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.token = token;
        this.maxRetries = maxRetries;
        this.timeout = timeout;
        this.sleeper = sleeper;
        this.clock = clock;
    }

    public long retries() {
        return retries.get();
    }

    public InputStream get(URI uri) {
        return send(uri, HttpRequest.newBuilder(uri).GET());
    }

    public void postJson(URI uri, byte[] body) {
        try (InputStream in = send(
                uri,
                HttpRequest.newBuilder(uri)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)))) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new ShuttleException(ErrorCode.TRANSPORT, "POST " + uri + ": " + e.getMessage(), e);
        }
    }

    private InputStream send(URI uri, HttpRequest.Builder builder) {
        builder.timeout(timeout).header("Accept", "application/json");
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        HttpRequest request = builder.build();
        String last = "";
        for (int attempt = 0; ; attempt++) {
            Duration wait;
            try {
                HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return response.body();
                }
                String body = preview(response.body());
                last = "HTTP " + status + (body.isEmpty() ? "" : " " + body);
                if (status == 401 || status == 403) {
                    throw new ShuttleException(
                            ErrorCode.FORBIDDEN,
                            request.method() + " " + uri + " was refused (" + last + "): check the " + role + " token");
                }
                if (status < 500 && (status != 429 || !retryTooManyRequests)) {
                    throw new ShuttleException(ErrorCode.TRANSPORT, request.method() + " " + uri + " failed: " + last);
                }
                wait = retryAfter(response).orElse(backoff(attempt));
            } catch (IOException e) {
                last = e.getClass().getSimpleName() + ": " + e.getMessage();
                wait = backoff(attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ShuttleException(ErrorCode.TRANSPORT, "interrupted while calling " + uri, e);
            }
            if (attempt >= maxRetries) {
                throw new ShuttleException(
                        ErrorCode.TRANSPORT,
                        request.method() + " " + uri + " failed after " + (attempt + 1) + " attempts, last: " + last);
            }
            retries.incrementAndGet();
            try {
                sleeper.sleep(wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ShuttleException(ErrorCode.TRANSPORT, "interrupted while waiting to retry " + uri, e);
            }
        }
    }

    private Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").map(v -> {
            String value = v.strip();
            if (value.matches("\\d+")) {
                return Duration.ofSeconds(Long.parseLong(value));
            }
            try {
                ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(clock.instant(), at.toInstant());
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException e) {
                return null;
            }
        });
    }

    private static Duration backoff(int attempt) {
        return Duration.ofMillis(Math.min(30_000L, 200L << Math.min(attempt, 10)));
    }

    private static String preview(InputStream body) {
        try (body) {
            byte[] bytes = body.readNBytes(200);
            return new String(bytes, StandardCharsets.UTF_8)
                    .replaceAll("\\s+", " ")
                    .strip();
        } catch (IOException e) {
            return "";
        }
    }
}
