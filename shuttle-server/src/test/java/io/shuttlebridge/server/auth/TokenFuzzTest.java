package io.shuttlebridge.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.DirectEncrypter;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.fuzz.Mutations;
import io.shuttlebridge.core.fuzz.SeededFuzz;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The token checks against mutated tokens: bytes broken anywhere, segments swapped, header and
 * claims changed as JSON, and many of those signed again with the right key, so that the claim
 * checks (not only the signature) see hostile claims. Every token either names a subject that
 * passes every rule (unexpired, issuer, audience, a subject) or is refused with UNAUTHORIZED;
 * nothing throws anything else, nothing hangs. Bounds and seed: {@code -Dfuzz.inputs}, {@code
 * -Dfuzz.seconds}, {@code -Dfuzz.seed}.
 */
class TokenFuzzTest {
    private static final byte[] SECRET =
            "an HS256 secret of more than thirty-two bytes".getBytes(StandardCharsets.UTF_8);
    private static final String ISSUER = "https://id.example.test";
    private static final String AUDIENCE = "shuttle-hub";
    private static final long LEEWAY_MILLIS = 60_000;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    @TempDir
    Path dir;

    @Test
    void everyMutatedTokenNamesAValidSubjectOrIsRefusedAsUnauthorized() throws Exception {
        RSAKey rsa = new RSAKeyGenerator(2048).keyID("r1").generate();
        ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("e1").generate();
        Path jwks = dir.resolve("jwks.json");
        Files.writeString(jwks, new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK())).toString());
        JwtAuthenticator hs =
                JwtAuthenticator.hs256(SECRET).issuer(ISSUER).audience(AUDIENCE).build();
        JwtAuthenticator keys = JwtAuthenticator.jwks(jwks.toString()).build();
        Signature rsaSigner = Signature.getInstance("SHA256withRSA");
        rsaSigner.initSign(rsa.toPrivateKey());

        List<byte[]> seeds = seeds(rsa, ec);
        SeededFuzz.Settings settings = SeededFuzz.Settings.fromSystemProperties();
        AtomicInteger accepted = new AtomicInteger();
        Map<String, Integer> refusals = new LinkedHashMap<>();
        SeededFuzz.Generator generator = random -> {
            byte[] seed = seeds.get(random.nextInt(seeds.size()));
            return switch (random.nextInt(4)) {
                case 0 -> Mutations.mutate(random, seed, seeds);
                case 1 -> shuffleSegments(random, seeds);
                default -> resigned(random, seed, seeds, rsaSigner);
            };
        };
        SeededFuzz.Summary s = assertTimeoutPreemptively(
                settings.budget().plusSeconds(60),
                () -> SeededFuzz.run("token-parser", settings, generator, input -> {
                    String token = new String(input, StandardCharsets.ISO_8859_1);
                    for (JwtAuthenticator auth : List.of(hs, keys)) {
                        try {
                            Subject subject = auth.authenticate(token);
                            checkAccepted(subject, auth == hs);
                            accepted.incrementAndGet();
                        } catch (ShuttleException e) {
                            assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.UNAUTHORIZED);
                            assertThat(e.getMessage()).isNotBlank();
                            refusals.merge(rule(e.getMessage()), 1, Integer::sum);
                        }
                    }
                }));
        System.out.printf(
                "token-parser: %d of %d checks accepted; refusals: %s%n", accepted.get(), 2 * s.inputs(), refusals);
        if (s.inputs() >= 1_000) { // a smaller run may not reach every rule
            assertThat(accepted.get()).as("some re-signed tokens still pass").isPositive();
            assertThat(refusals)
                    .as("the claim checks are reached, not only the parser")
                    .containsKeys("bad signature", "malformed token", "expired at", "wrong issuer", "wrong audience");
        }
    }

    /** An accepted token passes every rule the hub has: the fuzzer found no way around one. */
    private static void checkAccepted(Subject subject, boolean hs256) {
        long now = System.currentTimeMillis();
        assertThat(subject.id()).isNotBlank();
        assertThat(subject.claims()).containsEntry("sub", subject.id());
        assertThat(subject.expiresAt()).isNotNull();
        assertThat(subject.expiresAt().toEpochMilli() + LEEWAY_MILLIS).isGreaterThan(now);
        if (subject.claims().get("nbf") instanceof Number nbf) {
            assertThat(nbf.longValue() * 1000 - LEEWAY_MILLIS).isLessThanOrEqualTo(now);
        }
        if (hs256) {
            assertThat(subject.claims()).containsEntry("iss", ISSUER);
            Object aud = subject.claims().get("aud");
            assertThat(aud instanceof Collection<?> c ? c.contains(AUDIENCE) : AUDIENCE.equals(aud))
                    .as("aud " + aud)
                    .isTrue();
        }
    }

    private static String rule(String message) {
        for (String r : List.of(
                "bad signature",
                "malformed token",
                "expired at",
                "not valid before",
                "wrong issuer",
                "wrong audience",
                "no expiry",
                "names no subject",
                "is not accepted",
                "unknown key id",
                "names no key",
                "alg: none",
                "encrypted tokens",
                "cannot be verified",
                "cannot be read",
                "bearer token is required")) {
            if (message.contains(r)) {
                return r;
            }
        }
        return "other";
    }

    // ------------------------------------------------------------------ inputs

    private static List<byte[]> seeds(RSAKey rsa, ECKey ec) throws Exception {
        long now = System.currentTimeMillis();
        List<String> tokens = new ArrayList<>();
        tokens.add(hs256(claims("alice", now).build()));
        tokens.add(hs256(
                claims("tier", now).claim("roles", List.of("relay", "bridge")).build()));
        tokens.add(hs256(claims("bob", now)
                .claim("roles", "relay bridge")
                .claim("tenant", "acme")
                .claim("groups", List.of(1, 2, 3))
                .claim("nested", Map.of("a", List.of(Map.of("b", true))))
                .notBeforeTime(new Date(now - 5_000))
                .audience(List.of("other", AUDIENCE))
                .build()));
        tokens.add(hs256(claims("x'; DROP TABLE customer; --", now).build()));
        tokens.add(hs256(
                claims("expired", now).expirationTime(new Date(now - 3_600_000)).build()));
        tokens.add(sign(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("r1").build(),
                claims("rsa", now).build(),
                rsa));
        SignedJWT es = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("e1").build(),
                claims("ec", now).build());
        es.sign(new ECDSASigner(ec));
        tokens.add(es.serialize());
        tokens.add(new PlainJWT(claims("alice", now).build()).serialize());
        EncryptedJWT jwe = new EncryptedJWT(
                new JWEHeader(JWEAlgorithm.DIR, EncryptionMethod.A256GCM),
                claims("alice", now).build());
        jwe.encrypt(new DirectEncrypter(Arrays.copyOf(SECRET, 32)));
        tokens.add(jwe.serialize());
        tokens.add("not.a.jwt");
        List<byte[]> out = new ArrayList<>();
        tokens.forEach(t -> out.add(t.getBytes(StandardCharsets.ISO_8859_1)));
        return out;
    }

    private static JWTClaimsSet.Builder claims(String sub, long now) {
        return new JWTClaimsSet.Builder()
                .subject(sub)
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .issueTime(new Date(now))
                .expirationTime(new Date(now + 3_600_000));
    }

    private static String hs256(JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(SECRET));
        return jwt.serialize();
    }

    private static String sign(JWSHeader header, JWTClaimsSet claims, RSAKey key) throws Exception {
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    /** Header, payload and signature taken from different tokens, and sometimes a segment too many or too few. */
    private static byte[] shuffleSegments(Random r, List<byte[]> seeds) {
        List<String> parts = new ArrayList<>();
        int n = switch (r.nextInt(6)) {
            case 0 -> 2;
            case 1 -> 4;
            case 2 -> 5;
            default -> 3;
        };
        for (int i = 0; i < n; i++) {
            String[] from =
                    new String(seeds.get(r.nextInt(seeds.size())), StandardCharsets.ISO_8859_1).split("\\.", -1);
            parts.add(from[Math.min(i, from.length - 1)]);
        }
        return String.join(".", parts).getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * The header or the claims of a token changed as JSON (or as bytes), then signed again: with the
     * hub's HS256 secret, or with the RSA key of the JWK set, whatever the header now says.
     */
    private static byte[] resigned(Random r, byte[] seed, List<byte[]> seeds, Signature rsa) {
        String[] parts = new String(seed, StandardCharsets.ISO_8859_1).split("\\.", -1);
        if (parts.length != 3) {
            return Mutations.mutate(r, seed, seeds);
        }
        int which = r.nextInt(3) == 0 ? 0 : 1;
        byte[] json = decode(parts[which]);
        byte[] changed = switch (r.nextInt(3)) {
            case 0 -> Mutations.mutate(r, json, List.of(json));
            case 1 -> Mutations.json(r, json);
            default -> claim(r, json, which == 0);
        };
        parts[which] = B64.encodeToString(changed);
        String signingInput = parts[0] + "." + parts[1];
        try {
            byte[] signature;
            if (r.nextBoolean()) {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
                signature = mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
            } else {
                rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
                signature = rsa.sign();
            }
            return (signingInput + "." + B64.encodeToString(signature)).getBytes(StandardCharsets.ISO_8859_1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static final List<String> HEADER_FIELDS = List.of("alg", "kid", "typ", "crit", "jku", "x5u", "enc", "zip");
    private static final List<String> CLAIMS = List.of("iss", "aud", "exp", "nbf", "iat", "sub", "roles", "jti");
    private static final List<String> ODD = List.of(
            "\"none\"",
            "\"HS256\"",
            "\"RS256\"",
            "\"ES256\"",
            "\"hs256\"",
            "\"HS512\"",
            "\"r1\"",
            "\"e1\"",
            "\"../../etc/passwd\"",
            "[\"exp\"]",
            "\"https://evil.test\"",
            "\"" + ISSUER + "\"",
            "\"" + AUDIENCE + "\"",
            "[\"" + AUDIENCE + "\",1]",
            "0",
            "-1",
            "4102444800",
            "9223372036854775807",
            "1e308",
            "32503680000000");

    /** One header field or registered claim set to a value of another type or a wrong one. */
    private static byte[] claim(Random r, byte[] json, boolean header) {
        String text = new String(json, StandardCharsets.UTF_8).strip();
        if (!text.startsWith("{") || !text.endsWith("}")) {
            return json;
        }
        List<String> names = header ? HEADER_FIELDS : CLAIMS;
        List<String> values = r.nextBoolean() ? ODD : Mutations.TOKENS;
        String field = "\"" + names.get(r.nextInt(names.size())) + "\":" + values.get(r.nextInt(values.size()));
        String body = text.substring(1, text.length() - 1);
        return ("{" + (body.isBlank() ? field : r.nextBoolean() ? field + "," + body : body + "," + field) + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] decode(String segment) {
        try {
            return Base64.getUrlDecoder().decode(segment);
        } catch (IllegalArgumentException e) {
            return segment.getBytes(StandardCharsets.ISO_8859_1);
        }
    }
}
