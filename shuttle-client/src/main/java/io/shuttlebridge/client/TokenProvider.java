package io.shuttlebridge.client;

/**
 * Hands the transport the bearer token for each request, so a long-running device ({@code sync
 * --watch}, an app) can refresh its token before it expires: return the current one, and the next
 * request carries it. When the hub refuses a token (401) and the provider has a different one by
 * then, the request is made once more with it.
 */
@FunctionalInterface
public interface TokenProvider {
    /** The token to send now; null sends none. */
    String token();

    /** Always the same token (or none). */
    static TokenProvider of(String token) {
        String t = token == null || token.isBlank() ? null : token;
        return () -> t;
    }
}
