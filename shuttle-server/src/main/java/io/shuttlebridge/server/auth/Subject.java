package io.shuttlebridge.server.auth;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Who is calling the hub (DESIGN §8): a user or a service, named by its token's {@code sub}. Its
 * top-level claims are what sync rules read ({@code :sub}, {@code :tenant}, ...); its roles come
 * from the {@code roles} claim ({@code relay} lets a tier hub push others' changes).
 *
 * @param id the subject ({@code sub})
 * @param claims the token's claims, {@code sub} included; arrays as lists
 * @param roles the roles the token grants
 * @param expiresAt when the token stops being accepted; null for a credential that does not expire
 *     (the shared token, an open hub)
 */
public record Subject(String id, Map<String, Object> claims, Set<String> roles, Instant expiresAt) {
    /** The role of a hub that relays other nodes' changes (their {@code origin} is not the pushing node). */
    public static final String RELAY = "relay";

    /** The role that may run and inspect Bridge pipelines under {@code /v1/bridge/}. */
    public static final String BRIDGE = "bridge";

    /**
     * The caller of a hub without per-user identity (no token, or one shared token): one trusted
     * team, every node its own, every role granted.
     */
    public static final Subject TRUSTED = new Subject("trusted", Map.of("sub", "trusted"), Set.of(RELAY, BRIDGE), null);

    public Subject {
        Objects.requireNonNull(id, "id");
        claims = Map.copyOf(claims);
        roles = Set.copyOf(roles);
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    /** Whether the credential has expired at {@code nowMillis}; never for one without an expiry. */
    public boolean expiredAt(long nowMillis) {
        return expiresAt != null && expiresAt.toEpochMilli() <= nowMillis;
    }
}
