package io.shuttlebridge.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.id.MillisClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Date;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Signs HS256 tokens with a hub's secret: for development, demos and tests ({@code shuttle token
 * issue}). Production tokens come from the team's identity provider.
 */
public final class TokenIssuer {
    /** Claims a caller may not set through {@code claims}: the issuer sets them from its own arguments. */
    private static final Set<String> RESERVED = Set.of("sub", "iat", "exp", "nbf", "iss", "aud");

    private final MACSigner signer;
    private final MillisClock clock;

    private TokenIssuer(byte[] secret, MillisClock clock) {
        try {
            this.signer = new MACSigner(Secrets.check(secret, "the secret"));
        } catch (JOSEException e) {
            throw new ShuttleException(ErrorCode.INVALID_ARGUMENT, "unusable HS256 secret: " + e.getMessage(), e);
        }
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public static TokenIssuer hs256(byte[] secret) {
        return new TokenIssuer(secret, System::currentTimeMillis);
    }

    public static TokenIssuer hs256(Path secretFile) {
        return hs256(Secrets.read(secretFile));
    }

    public TokenIssuer withClock(MillisClock c) {
        return new TokenIssuer(signer.getSecret(), c);
    }

    /**
     * A token for {@code subject}, valid from now for {@code ttl}.
     *
     * @param claims more top-level claims (a tenant, {@code roles}, ...); values as JSON would hold them
     * @param issuer {@code iss}, or null for none
     * @param audience {@code aud}, or null for none
     */
    public String issue(String subject, Map<String, ?> claims, Duration ttl, String issuer, String audience) {
        if (subject == null || subject.isBlank()) {
            throw new ShuttleException(ErrorCode.INVALID_ARGUMENT, "a token needs a subject (sub)");
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw new ShuttleException(ErrorCode.INVALID_ARGUMENT, "the token's lifetime must be positive, got " + ttl);
        }
        long now = clock.millis();
        JWTClaimsSet.Builder c = new JWTClaimsSet.Builder()
                .subject(subject)
                .issueTime(new Date(now / 1000 * 1000))
                .expirationTime(new Date((now + ttl.toMillis()) / 1000 * 1000));
        claims.forEach((k, v) -> {
            if (RESERVED.contains(k)) {
                throw new ShuttleException(
                        ErrorCode.INVALID_ARGUMENT, "claim '" + k + "' is set by its own option, not as a claim");
            }
            c.claim(k, v);
        });
        if (issuer != null) {
            c.issuer(issuer);
        }
        if (audience != null) {
            c.audience(audience);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), c.build());
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new ShuttleException(ErrorCode.INTERNAL, "signing the token failed: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }
}
