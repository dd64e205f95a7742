package io.shuttlebridge.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;

/** JWK sets from a file or a URL, and verifiers for their public keys. */
final class KeySets {
    /** A URL's set is fetched again at most this often, however many unknown key ids arrive. */
    static final Duration MIN_REFRESH = Duration.ofMinutes(1);

    private KeySets() {}

    static JWKSource<SecurityContext> source(String fileOrUrl) {
        if (fileOrUrl == null || fileOrUrl.isBlank()) {
            throw new ShuttleException(ErrorCode.INVALID_ARGUMENT, "a JWK set file or URL is required");
        }
        if (fileOrUrl.startsWith("http://") || fileOrUrl.startsWith("https://")) {
            try {
                return JWKSourceBuilder.<SecurityContext>create(
                                URI.create(fileOrUrl).toURL())
                        .rateLimited(MIN_REFRESH.toMillis())
                        .build();
            } catch (MalformedURLException | IllegalArgumentException e) {
                throw new ShuttleException(
                        ErrorCode.INVALID_ARGUMENT,
                        "not a usable JWK set URL: " + fileOrUrl + " (" + e.getMessage() + ")",
                        e);
            }
        }
        Path file = Path.of(fileOrUrl);
        JWKSet set;
        try {
            set = JWKSet.load(file.toFile());
        } catch (IOException e) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT, "cannot read the JWK set file " + file + ": " + e.getMessage(), e);
        } catch (ParseException e) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT, file + " is not a JWK set (" + e.getMessage() + ")", e);
        }
        if (set.getKeys().isEmpty()) {
            throw new ShuttleException(ErrorCode.INVALID_ARGUMENT, "the JWK set in " + file + " holds no keys");
        }
        if (set.getKeys().stream().anyMatch(JWK::isPrivate)) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT,
                    "the JWK set in " + file + " holds private keys; give the hub the public set only");
        }
        return new ImmutableJWKSet<>(set);
    }

    static JWSVerifier verifier(JWK key) {
        try {
            if (key instanceof RSAKey rsa) {
                return new RSASSAVerifier(rsa);
            }
            if (key instanceof ECKey ec) {
                return new ECDSAVerifier(ec);
            }
        } catch (JOSEException e) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT, "unusable key '" + key.getKeyID() + "': " + e.getMessage(), e);
        }
        throw new ShuttleException(
                ErrorCode.UNAUTHORIZED,
                "token refused: key '" + key.getKeyID() + "' is a " + key.getKeyType()
                        + " key; this hub verifies RSA and EC keys only");
    }
}
