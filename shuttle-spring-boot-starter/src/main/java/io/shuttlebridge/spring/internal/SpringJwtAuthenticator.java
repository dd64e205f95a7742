package io.shuttlebridge.spring.internal;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.server.auth.Authenticator;
import io.shuttlebridge.server.auth.Subject;
import java.net.URL;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * The hub's callers as the application's resource server sees them: bearer tokens are decoded and
 * checked by the application's {@link JwtDecoder} (its keys, issuer, audience and clock,
 * {@code spring.security.oauth2.resourceserver.jwt.*}); the subject is the token's {@code sub}, its
 * claims are what sync rules read, its {@code roles} claim (an array, or names separated by spaces)
 * its roles.
 */
public final class SpringJwtAuthenticator implements Authenticator {
    private final JwtDecoder decoder;

    public SpringJwtAuthenticator(JwtDecoder decoder) {
        this.decoder = decoder;
    }

    @Override
    public Subject authenticate(String token) {
        if (token == null || token.isBlank()) {
            throw new ShuttleException(ErrorCode.UNAUTHORIZED, "no bearer token: send 'Authorization: Bearer <token>'");
        }
        Jwt jwt;
        try {
            jwt = decoder.decode(token);
        } catch (BadJwtException e) {
            throw new ShuttleException(ErrorCode.UNAUTHORIZED, "the token is refused: " + e.getMessage(), e);
        } catch (JwtException e) {
            throw new ShuttleException(ErrorCode.UNAVAILABLE, "the token could not be checked: " + e.getMessage(), e);
        }
        String sub = jwt.getSubject();
        if (sub == null || sub.isBlank()) {
            throw new ShuttleException(ErrorCode.UNAUTHORIZED, "the token is refused: it names no subject (sub)");
        }
        Map<String, Object> claims = new LinkedHashMap<>();
        jwt.getClaims().forEach((k, v) -> {
            if (v != null) {
                claims.put(k, plain(v));
            }
        });
        return new Subject(sub, claims, roles(jwt.getClaims().get("roles")), jwt.getExpiresAt());
    }

    /** A claim as the sync rules read claims: times in seconds since the epoch, URLs as text. */
    private static Object plain(Object v) {
        if (v instanceof Instant i) {
            return i.getEpochSecond();
        }
        if (v instanceof URL u) {
            return u.toString();
        }
        if (v instanceof Collection<?> c) {
            return List.copyOf(c.stream().map(SpringJwtAuthenticator::plain).toList());
        }
        return v;
    }

    private static Set<String> roles(Object claim) {
        Set<String> roles = new LinkedHashSet<>();
        if (claim instanceof Collection<?> list) {
            list.forEach(r -> roles.add(String.valueOf(r)));
        } else if (claim instanceof String s) {
            for (String r : s.trim().split("\\s+")) {
                if (!r.isEmpty()) {
                    roles.add(r);
                }
            }
        }
        return roles;
    }
}
