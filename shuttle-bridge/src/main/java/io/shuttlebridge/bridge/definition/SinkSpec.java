package io.shuttlebridge.bridge.definition;

import java.net.URI;
import java.time.Duration;

/**
 * An HTTP endpoint that also receives every change written to the target, as JSON POSTs of at most
 * 2,000 rows sent before their chunk commits (so delivery is at least once: a chunk whose POST fails is
 * rolled back and sent again by the next run).
 *
 * @param url where chunks are POSTed
 * @param token bearer token, or null
 * @param maxRetries retries after a 5xx answer or a network error (a 4xx is never retried)
 * @param timeout per request
 */
public record SinkSpec(URI url, String token, int maxRetries, Duration timeout) {
    public static final int DEFAULT_MAX_RETRIES = 5;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    public SinkSpec(URI url, String token) {
        this(url, token, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT);
    }

    @Override
    public String toString() {
        return "SinkSpec[url=" + url + ", token=" + (token == null ? "none" : "***") + ", maxRetries=" + maxRetries
                + "]";
    }
}
