package io.shuttlebridge.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.id.MillisClock;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * JWT bearer tokens (DESIGN §8): HS256 with a shared secret ({@link #hs256}), or RS256/ES256
 * against a JWK set from a file or a URL ({@link #jwks}, keys chosen by {@code kid}). {@code exp} is
 * required and {@code nbf} checked, both with a leeway (60 s by default); {@code iss} and {@code aud}
 * when configured. Unsigned tokens ({@code alg: none}), encrypted ones, an algorithm the hub's keys
 * are not for (an HS256 token against RSA keys: algorithm confusion), an unknown {@code kid}, a bad
 * signature: each is refused with a message naming the rule. A verified token is remembered until
 * it expires, so a device's requests cost one map lookup, not one signature check.
 */
public final class JwtAuthenticator implements Authenticator {
    /** Tokens remembered at most; past it the memory starts over (each token is then verified once more). */
    private static final int CACHE_SIZE = 10_000;

    private final Set<JWSAlgorithm> algorithms;
    private final KeyResolver keys;
    private final String issuer;
    private final String audience;
    private final long leewayMillis;
    private final MillisClock clock;
    private final VerifiedTokens verified = new VerifiedTokens(CACHE_SIZE);

    private JwtAuthenticator(Builder b) {
        this.algorithms = b.algorithms;
        this.keys = b.keys;
        this.issuer = b.issuer;
        this.audience = b.audience;
        this.leewayMillis = b.leeway.toMillis();
        this.clock = b.clock;
    }

    /** HS256 tokens signed with {@code secret}, at least 32 bytes (256 bits, RFC 7518 §3.2). */
    public static Builder hs256(byte[] secret) {
        return new Builder(Set.of(JWSAlgorithm.HS256), KeyResolver.secret(Secrets.check(secret, "the secret")));
    }

    /** HS256 tokens signed with the secret in {@code file} (its bytes, trailing whitespace left out). */
    public static Builder hs256(Path file) {
        return hs256(Secrets.read(file));
    }

    /**
     * RS256 and ES256 tokens checked against a JWK set: a file, or an {@code http(s)://} URL fetched,
     * cached, and fetched again when a token names a {@code kid} it does not hold (at most once a minute).
     */
    public static Builder jwks(String fileOrUrl) {
        return new Builder(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), KeyResolver.jwks(fileOrUrl));
    }

    @Override
    public Subject authenticate(String token) {
        if (token == null || token.isBlank()) {
            throw Unauthorized.missing();
        }
        long now = clock.millis();
        Subject known = verified.get(token);
        if (known != null) {
            if (known.expiresAt().toEpochMilli() + leewayMillis <= now) {
                verified.forget(token);
                throw Unauthorized.because("expired at " + known.expiresAt() + " (" + leewayMillis / 1000
                        + " s leeway); ask for a new token");
            }
            return known;
        }
        Subject s;
        try {
            s = Claims.subject(checkedClaims(verify(parse(token)), now));
        } catch (ShuttleException e) {
            throw e;
        } catch (RuntimeException e) { // the JWT library failing on a hostile token: still the token's fault
            throw Unauthorized.because("the token cannot be read: its header or claims are not what a JWT holds", e);
        }
        verified.put(token, s);
        return s;
    }

    private static JWT parse(String token) {
        try {
            return JWTParser.parse(token.trim());
        } catch (ParseException e) {
            throw Unauthorized.because("malformed token (" + e.getMessage() + "); expected a signed JWT", e);
        } catch (RuntimeException e) { // a header of null, say, fails inside the parser
            throw Unauthorized.because(
                    "malformed token (its header or claims are not what a JWT holds); expected a signed JWT", e);
        }
    }

    private JWTClaimsSet verify(JWT jwt) {
        if (jwt instanceof PlainJWT) {
            throw Unauthorized.because("unsigned token (alg: none)");
        }
        if (jwt instanceof EncryptedJWT) {
            throw Unauthorized.because("encrypted tokens (JWE) are not accepted; send a signed JWT");
        }
        SignedJWT signed = (SignedJWT) jwt;
        JWSHeader header = signed.getHeader();
        if (!algorithms.contains(header.getAlgorithm())) {
            throw Unauthorized.because("algorithm " + header.getAlgorithm()
                    + " is not accepted by this hub (it accepts "
                    + algorithms.stream().map(JWSAlgorithm::getName).sorted().collect(Collectors.joining(", "))
                    + ")");
        }
        List<JWSVerifier> verifiers = keys.verifiers(header);
        try {
            for (JWSVerifier v : verifiers) {
                if (signed.verify(v)) {
                    return signed.getJWTClaimsSet();
                }
            }
        } catch (JOSEException | ParseException e) {
            throw Unauthorized.because("the token cannot be verified (" + e.getMessage() + ")", e);
        }
        throw Unauthorized.because("bad signature");
    }

    private JWTClaimsSet checkedClaims(JWTClaimsSet c, long now) {
        if (c.getExpirationTime() == null) {
            throw Unauthorized.because("the token has no expiry (exp); tokens must expire");
        }
        if (c.getExpirationTime().getTime() + leewayMillis <= now) {
            throw Unauthorized.because("expired at " + c.getExpirationTime().toInstant() + " (" + leewayMillis / 1000
                    + " s leeway); ask for a new token");
        }
        if (c.getNotBeforeTime() != null && c.getNotBeforeTime().getTime() - leewayMillis > now) {
            throw Unauthorized.because(
                    "not valid before " + c.getNotBeforeTime().toInstant() + " (" + leewayMillis / 1000 + " s leeway)");
        }
        if (c.getSubject() == null || c.getSubject().isBlank()) {
            throw Unauthorized.because("the token names no subject (sub)");
        }
        if (issuer != null && !issuer.equals(c.getIssuer())) {
            throw Unauthorized.because(
                    "wrong issuer " + quoted(c.getIssuer()) + " (this hub accepts '" + issuer + "')");
        }
        if (audience != null && (c.getAudience() == null || !c.getAudience().contains(audience))) {
            throw Unauthorized.because("wrong audience "
                    + (c.getAudience() == null || c.getAudience().isEmpty() ? "(none)" : c.getAudience())
                    + " (this hub is '" + audience + "')");
        }
        return c;
    }

    private static String quoted(String s) {
        return s == null ? "(none)" : "'" + s + "'";
    }

    /** The keys a token's header may be verified with. */
    interface KeyResolver {
        List<JWSVerifier> verifiers(JWSHeader header);

        static KeyResolver secret(byte[] secret) {
            MACVerifier v;
            try {
                v = new MACVerifier(secret);
            } catch (JOSEException e) {
                throw new ShuttleException(ErrorCode.INVALID_ARGUMENT, "unusable HS256 secret: " + e.getMessage(), e);
            }
            List<JWSVerifier> one = List.of(v);
            return header -> one;
        }

        static KeyResolver jwks(String fileOrUrl) {
            JWKSource<SecurityContext> source = KeySets.source(fileOrUrl);
            return header -> {
                List<JWK> found;
                try {
                    found = source.get(new JWKSelector(JWKMatcher.forJWSHeader(header)), null);
                } catch (RateLimitReachedException e) {
                    found = List.of();
                } catch (KeySourceException e) {
                    throw new ShuttleException(
                            ErrorCode.UNAVAILABLE,
                            "the hub could not read its key set " + fileOrUrl + ": " + e.getMessage(),
                            e);
                }
                if (found.isEmpty()) {
                    throw Unauthorized.because(
                            header.getKeyID() == null
                                    ? "the token names no key (kid) and no key of the hub's set fits "
                                            + header.getAlgorithm()
                                    : "unknown key id (kid) '" + header.getKeyID() + "'");
                }
                return found.stream().map(KeySets::verifier).toList();
            };
        }
    }

    /** Settings for the token checks. */
    public static final class Builder {
        private final Set<JWSAlgorithm> algorithms;
        private final KeyResolver keys;
        private String issuer;
        private String audience;
        private Duration leeway = Duration.ofSeconds(60);
        private MillisClock clock = System::currentTimeMillis;

        private Builder(Set<JWSAlgorithm> algorithms, KeyResolver keys) {
            this.algorithms = algorithms;
            this.keys = keys;
        }

        /** Tokens must carry {@code iss} equal to this. */
        public Builder issuer(String iss) {
            issuer = blankToNull(iss);
            return this;
        }

        /** Tokens must carry this among their {@code aud}. */
        public Builder audience(String aud) {
            audience = blankToNull(aud);
            return this;
        }

        /** How far past {@code exp} and before {@code nbf} a token is still accepted (clock differences). */
        public Builder leeway(Duration d) {
            if (d.isNegative()) {
                throw new ShuttleException(ErrorCode.INVALID_ARGUMENT, "leeway must be zero or more, got " + d);
            }
            leeway = d;
            return this;
        }

        public Builder clock(MillisClock c) {
            clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        public JwtAuthenticator build() {
            return new JwtAuthenticator(this);
        }

        private static String blankToNull(String s) {
            return s == null || s.isBlank() ? null : s;
        }
    }
}
