package io.shuttlebridge.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.id.Hlc;
import io.shuttlebridge.core.internal.protocol.WireCodec;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.server.HubServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN §8 over real HTTP: a hub that takes HS256 tokens and one that takes RS256/ES256 tokens
 * against a JWK set; every refusal is a 401 UNAUTHORIZED that says which rule failed and changes
 * nothing.
 */
class JwtAuthIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] SECRET =
            "an HS256 secret of more than thirty-two bytes".getBytes(StandardCharsets.UTF_8);
    private static final String ISSUER = "https://id.example.test";
    private static final String AUDIENCE = "shuttle-hub";

    @TempDir
    Path dir;

    private ShuttleDatabase hubDb;
    private SyncEngine engine;
    private HubServer hub;
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() {
        hubDb = AuthFixtures.database(dir, "CREATE TABLE customer (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
        engine = SyncEngine.open(hubDb);
    }

    @AfterEach
    void stop() {
        if (hub != null) {
            hub.close();
        }
        hubDb.close();
    }

    private void serve(Authenticator auth) {
        hub = HubServer.builder(engine)
                .host("127.0.0.1")
                .port(0)
                .authenticator(auth)
                .start();
    }

    private void serveHs256() {
        serve(JwtAuthenticator.hs256(SECRET).issuer(ISSUER).audience(AUDIENCE).build());
    }

    @Test
    void aValidTokenOpensEveryEndpointButHealthNeedsNone() throws Exception {
        serveHs256();
        String token = hs256(claims("alice").build());
        assertThat(send("GET", "/health", null, null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/v1/schema", null, token).statusCode()).isEqualTo(200);
        HttpResponse<String> pushed = send("POST", "/v1/sync/push", push(1), token);
        assertThat(pushed.statusCode()).as(pushed.body()).isEqualTo(200);
        assertThat(JSON.readTree(pushed.body()).get("applied").asInt()).isEqualTo(1);
    }

    @Test
    void everyBrokenRuleIsA401ThatNamesItAndChangesNothing() throws Exception {
        serveHs256();
        long now = System.currentTimeMillis();
        RSAKey rsa = new RSAKeyGenerator(2048).keyID("r1").generate();
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("no token", null);
        cases.put("alg none", new PlainJWT(claims("alice").build()).serialize());
        cases.put("another secret", hs256(claims("alice").build(), "another secret of more than thirty-two bytes!"));
        cases.put("RS256 against an HS256 hub", rs256(claims("alice").build(), rsa));
        cases.put(
                "expired beyond the leeway",
                hs256(claims("alice").expirationTime(new Date(now - 120_000)).build()));
        cases.put(
                "not yet valid",
                hs256(claims("alice").notBeforeTime(new Date(now + 120_000)).build()));
        cases.put(
                "wrong issuer",
                hs256(claims("alice").issuer("https://evil.test").build()));
        cases.put(
                "wrong audience", hs256(claims("alice").audience("another-hub").build()));
        cases.put("no expiry", hs256(claims("alice").expirationTime(null).build()));
        cases.put("no subject", hs256(claims(null).build()));
        cases.put("malformed", "not.a.jwt");
        cases.put("garbage", "%%%");
        Map<String, String> expected = Map.ofEntries(
                Map.entry("no token", "a bearer token is required"),
                Map.entry("alg none", "unsigned token (alg: none)"),
                Map.entry("another secret", "bad signature"),
                Map.entry("RS256 against an HS256 hub", "algorithm RS256 is not accepted"),
                Map.entry("expired beyond the leeway", "expired at"),
                Map.entry("not yet valid", "not valid before"),
                Map.entry("wrong issuer", "wrong issuer 'https://evil.test'"),
                Map.entry("wrong audience", "wrong audience [another-hub]"),
                Map.entry("no expiry", "no expiry (exp)"),
                Map.entry("no subject", "names no subject"),
                Map.entry("malformed", "malformed token"),
                Map.entry("garbage", "malformed token"));
        long before = engine.feedPosition();
        for (var c : cases.entrySet()) {
            HttpResponse<String> r = send("POST", "/v1/sync/push", push(1), c.getValue());
            assertRefused(r, c.getKey(), expected.get(c.getKey()));
            assertThat(r.headers().firstValue("WWW-Authenticate"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        }
        assertThat(engine.feedPosition()).isEqualTo(before);
        assertThat(rows()).isZero();
    }

    @Test
    void theLeewayForgivesSmallClockDifferences() throws Exception {
        serveHs256();
        long now = System.currentTimeMillis();
        String justExpired =
                hs256(claims("alice").expirationTime(new Date(now - 30_000)).build());
        String almostValid =
                hs256(claims("alice").notBeforeTime(new Date(now + 30_000)).build());
        assertThat(send("GET", "/v1/schema", null, justExpired).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/v1/schema", null, almostValid).statusCode()).isEqualTo(200);
    }

    @Test
    void aTokenInTheQueryStringOrAnotherSchemeIsRefused() throws Exception {
        serveHs256();
        String token = hs256(claims("alice").build());
        HttpResponse<String> query = send("GET", "/v1/schema?access_token=" + token, null, null);
        assertRefused(query, "query string", "a token in the query string ('access_token') is refused");
        HttpResponse<String> both = send("GET", "/v1/schema?access_token=" + token, null, token);
        assertRefused(both, "query string beside a header", "query string");
        HttpResponse<String> basic = http.send(
                HttpRequest.newBuilder(hub.url().resolve("/v1/schema"))
                        .header("Authorization", "Basic YWxpY2U6c2VjcmV0")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertRefused(basic, "basic", "must be 'Bearer <token>'");
    }

    @Test
    void jwksTokensAreCheckedByKidAndAlgorithmConfusionIsRefused() throws Exception {
        RSAKey rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        Path jwks = dir.resolve("jwks.json");
        Files.writeString(jwks, new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK())).toString());
        serve(JwtAuthenticator.jwks(jwks.toString()).build());

        assertThat(send("GET", "/v1/schema", null, rs256(claims("alice").build(), rsa))
                        .statusCode())
                .isEqualTo(200);
        assertThat(send("GET", "/v1/schema", null, es256(claims("bob").build(), ec))
                        .statusCode())
                .isEqualTo(200);

        RSAKey stranger = new RSAKeyGenerator(2048).keyID("rsa-2").generate();
        assertRefused(
                send("GET", "/v1/schema", null, rs256(claims("alice").build(), stranger)),
                "unknown kid",
                "unknown key id (kid) 'rsa-2'");
        RSAKey impostor = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        assertRefused(
                send("GET", "/v1/schema", null, rs256(claims("alice").build(), impostor)),
                "same kid, other key",
                "bad signature");
        // the classic confusion: an HS256 token whose secret is the hub's public key
        String confused =
                hs256(claims("alice").build(), new String(rsa.toPublicKey().getEncoded(), StandardCharsets.ISO_8859_1));
        assertRefused(
                send("GET", "/v1/schema", null, confused), "HS256 against RSA keys", "algorithm HS256 is not accepted");
        assertRefused(
                send("GET", "/v1/schema", null, new PlainJWT(claims("alice").build()).serialize()),
                "alg none",
                "alg: none");
    }

    @Test
    void aJwksFileWithPrivateKeysOrASecretTooShortIsRefusedAtStart() throws Exception {
        RSAKey rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        Path jwks = dir.resolve("private.json");
        Files.writeString(jwks, new JWKSet(rsa).toString(false));
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> JwtAuthenticator.jwks(jwks.toString())))
                .hasMessageContaining("holds private keys");
        Path shortSecret = dir.resolve("short.secret");
        Files.writeString(shortSecret, "too short\n");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> JwtAuthenticator.hs256(shortSecret)))
                .hasMessageContaining("is 9 bytes; HS256 needs at least 32");
    }

    @Test
    void theStreamAuthenticatesBeforeTheUpgradeByHeaderOrSubprotocolAndClosesWhenTheTokenExpires() throws Exception {
        serve(JwtAuthenticator.hs256(SECRET).leeway(Duration.ZERO).build());
        URI stream = URI.create(hub.url().toString().replace("http://", "ws://") + "/v1/sync/stream");

        Throwable refused = org.assertj.core.api.Assertions.catchThrowable(() -> http.newWebSocketBuilder()
                .buildAsync(stream, new Listener(m -> {}))
                .join());
        assertThat(refused).isInstanceOf(CompletionException.class);
        assertThat(((WebSocketHandshakeException) refused.getCause())
                        .getResponse()
                        .statusCode())
                .isEqualTo(401);

        CompletableFuture<String> heard = new CompletableFuture<>();
        WebSocket byHeader = http.newWebSocketBuilder()
                .header("Authorization", "Bearer " + hs256(claims("alice").build()))
                .buildAsync(stream, new Listener(heard::complete))
                .get(10, TimeUnit.SECONDS);
        assertThat(heard.get(10, TimeUnit.SECONDS)).contains("hubSeq");
        byHeader.abort();

        // the browser way: a WebSocket cannot carry headers there, a subprotocol can
        long exp = System.currentTimeMillis() + 2_500;
        String shortLived = hs256(claims("alice").expirationTime(new Date(exp)).build());
        Listener l = new Listener(m -> {});
        WebSocket byProtocol = http.newWebSocketBuilder()
                .subprotocols("shuttle.v1", "bearer." + shortLived)
                .buildAsync(stream, l)
                .get(10, TimeUnit.SECONDS);
        assertThat(byProtocol.getSubprotocol()).isEqualTo("shuttle.v1");
        int code = l.closed.get(15, TimeUnit.SECONDS);
        assertThat(code).isEqualTo(1008);
        assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(exp / 1000 * 1000);
        assertThat(l.reason).contains("token expired");
    }

    private static final class Listener implements WebSocket.Listener {
        final Consumer<String> onText;
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        volatile String reason;

        Listener(Consumer<String> onText) {
            this.onText = onText;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            onText.accept(data.toString());
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String why) {
            reason = why;
            closed.complete(statusCode);
            return null;
        }
    }

    private void assertRefused(HttpResponse<String> r, String what, String message) throws Exception {
        assertThat(r.statusCode()).as(what + ": " + r.body()).isEqualTo(401);
        JsonNode error = JSON.readTree(r.body()).get("error");
        assertThat(error.get("code").asText()).as(what).isEqualTo("UNAUTHORIZED");
        assertThat(error.get("message").asText()).as(what).contains(message);
    }

    private int rows() throws Exception {
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("hub.db"));
                var rs = c.createStatement().executeQuery("SELECT count(*) FROM customer")) {
            return rs.getInt(1);
        }
    }

    static JWTClaimsSet.Builder claims(String sub) {
        long now = System.currentTimeMillis();
        return new JWTClaimsSet.Builder()
                .subject(sub)
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .issueTime(new Date(now))
                .expirationTime(new Date(now + 3_600_000));
    }

    static String hs256(JWTClaimsSet claims) throws Exception {
        return hs256(claims, new String(SECRET, StandardCharsets.UTF_8));
    }

    static String hs256(JWTClaimsSet claims, String secret) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.ISO_8859_1)));
        return jwt.serialize();
    }

    static String rs256(JWTClaimsSet claims, RSAKey key) throws Exception {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    static String es256(JWTClaimsSet claims, ECKey key) throws Exception {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    private static String push(long id) {
        String node = UUID.randomUUID().toString();
        return WireCodec.pushRequest(
                node,
                List.of(new Change(
                        "customer",
                        List.of(id),
                        Op.UPSERT,
                        Map.of("id", id, "name", "n" + id),
                        Hlc.pack(System.currentTimeMillis(), 0),
                        node,
                        1,
                        0,
                        Map.of())));
    }

    private HttpResponse<String> send(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(hub.url().resolve(path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        b.header("X-Shuttle-Node", UUID.randomUUID().toString());
        b.method(
                method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
