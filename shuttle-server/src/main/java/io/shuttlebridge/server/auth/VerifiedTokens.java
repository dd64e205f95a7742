package io.shuttlebridge.server.auth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tokens already verified, so a device's requests do not pay a signature check each. Bounded: past
 * {@code capacity} tokens it starts over, and each token is verified once more.
 */
final class VerifiedTokens {
    private final int capacity;
    private final Map<String, Subject> tokens = new ConcurrentHashMap<>();

    VerifiedTokens(int capacity) {
        this.capacity = capacity;
    }

    Subject get(String token) {
        return tokens.get(token);
    }

    void put(String token, Subject subject) {
        if (tokens.size() >= capacity) {
            tokens.clear();
        }
        tokens.put(token, subject);
    }

    void forget(String token) {
        tokens.remove(token);
    }
}
