package io.shuttlebridge.server.auth;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * Tells the hub who is calling from the bearer token of a request (DESIGN §8). Three modes: an
 * open hub (local use), one shared token ({@link #sharedToken}: a single trusted team) and JWTs
 * ({@link JwtAuthenticator}: one subject per user or service).
 */
public interface Authenticator {
    /**
     * The subject a token names.
     *
     * @param token the bearer token, or null when the request carried none
     * @throws ShuttleException {@link ErrorCode#UNAUTHORIZED} with a message saying which rule failed
     */
    Subject authenticate(String token);

    /** Whether requests must carry a token at all. */
    default boolean required() {
        return true;
    }

    /** A hub that lets everyone in as {@link Subject#TRUSTED}: for a hub on loopback, or behind a gateway that checks. */
    static Authenticator open() {
        return new Authenticator() {
            @Override
            public Subject authenticate(String token) {
                return Subject.TRUSTED;
            }

            @Override
            public boolean required() {
                return false;
            }
        };
    }

    /** One secret every device carries, compared in constant time; the caller is {@link Subject#TRUSTED}. */
    static Authenticator sharedToken(String secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.isBlank()) {
            throw new ShuttleException(ErrorCode.INVALID_ARGUMENT, "the shared token must not be blank");
        }
        byte[] expected = secret.getBytes(StandardCharsets.UTF_8);
        return token -> {
            if (token == null) {
                throw Unauthorized.missing();
            }
            if (!MessageDigest.isEqual(expected, token.getBytes(StandardCharsets.UTF_8))) {
                throw new ShuttleException(ErrorCode.UNAUTHORIZED, "the bearer token is not the hub's token");
            }
            return Subject.TRUSTED;
        };
    }
}
