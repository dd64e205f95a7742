package io.shuttlebridge.server.auth;

import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A verified token's claims as a {@link Subject}. */
final class Claims {
    private Claims() {}

    static Subject subject(JWTClaimsSet c) {
        Map<String, Object> claims = new LinkedHashMap<>();
        c.getClaims().forEach((k, v) -> {
            if (v != null) {
                claims.put(k, v instanceof Date d ? d.getTime() / 1000 : v);
            }
        });
        return new Subject(
                c.getSubject(),
                claims,
                roles(c.getClaim("roles")),
                Instant.ofEpochMilli(c.getExpirationTime().getTime()));
    }

    /** The {@code roles} claim: an array of names, or one string of names separated by spaces. */
    private static Set<String> roles(Object claim) {
        Set<String> roles = new LinkedHashSet<>();
        if (claim instanceof List<?> list) {
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
