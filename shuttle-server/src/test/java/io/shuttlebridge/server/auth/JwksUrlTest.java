package io.shuttlebridge.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.sun.net.httpserver.HttpServer;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A JWK set from a URL: fetched once, fetched again for an unknown kid, but not more than once a minute. */
class JwksUrlTest {
    private HttpServer idp;
    private final AtomicInteger fetches = new AtomicInteger();
    private final AtomicReference<JWKSet> published = new AtomicReference<>();

    @BeforeEach
    void start() throws Exception {
        idp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        idp.createContext("/jwks.json", ex -> {
            fetches.incrementAndGet();
            byte[] body = published.get().toString().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        idp.start();
    }

    @AfterEach
    void stop() {
        idp.stop(0);
    }

    @Test
    void aRotatedKeyIsFetchedOnceAndUnknownKidsDoNotHammerTheProvider() throws Exception {
        RSAKey first = new RSAKeyGenerator(2048).keyID("k1").generate();
        RSAKey rotated = new RSAKeyGenerator(2048).keyID("k2").generate();
        published.set(new JWKSet(first.toPublicJWK()));
        JwtAuthenticator auth = JwtAuthenticator.jwks(
                        "http://127.0.0.1:" + idp.getAddress().getPort() + "/jwks.json")
                .build();

        assertThat(auth.authenticate(JwtAuthIT.rs256(JwtAuthIT.claims("alice").build(), first))
                        .id())
                .isEqualTo("alice");
        assertThat(fetches).hasValue(1);
        assertThat(auth.authenticate(JwtAuthIT.rs256(JwtAuthIT.claims("bob").build(), first))
                        .id())
                .isEqualTo("bob");
        assertThat(fetches).as("cached").hasValue(1);

        // the provider rotates its keys: a token with the new kid makes the hub fetch the set again
        published.set(new JWKSet(List.of(first.toPublicJWK(), rotated.toPublicJWK())));
        assertThat(auth.authenticate(JwtAuthIT.rs256(JwtAuthIT.claims("carol").build(), rotated))
                        .id())
                .isEqualTo("carol");
        assertThat(fetches).hasValue(2);

        // a stream of made-up kids: refused, and the set is not fetched again within the minute
        for (int i = 0; i < 5; i++) {
            RSAKey madeUp = new RSAKeyGenerator(2048).keyID("forged-" + i).generate();
            ShuttleException e = catchThrowableOfType(
                    ShuttleException.class,
                    () -> auth.authenticate(
                            JwtAuthIT.rs256(JwtAuthIT.claims("mallory").build(), madeUp)));
            assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
            assertThat(e).hasMessageContaining("unknown key id (kid) 'forged-" + i + "'");
        }
        assertThat(fetches).hasValue(2);
    }

    @Test
    void theSameTokenIsVerifiedOnce() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
        published.set(new JWKSet(key.toPublicJWK()));
        JwtAuthenticator auth = JwtAuthenticator.jwks(
                        "http://127.0.0.1:" + idp.getAddress().getPort() + "/jwks.json")
                .build();
        String token = JwtAuthIT.rs256(JwtAuthIT.claims("alice").build(), key);
        Subject first = auth.authenticate(token);
        for (int i = 0; i < 1000; i++) {
            assertThat(auth.authenticate(token)).isSameAs(first);
        }
    }
}
