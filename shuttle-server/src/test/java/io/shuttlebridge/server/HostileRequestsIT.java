package io.shuttlebridge.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.DirectEncrypter;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.id.Hlc;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.server.auth.JwtAuthenticator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A catalogue of hostile requests against a SQLite hub, one table: each case is a request (method,
 * path, headers with its token, body) and the answer it must get (status, error code, a fragment of
 * the message), and after every case the hub's database, every table and the schema included
 * ({@code _shuttle_} tables too), must be exactly as it was before the catalogue started. Three hubs
 * share the database: one taking HS256 JWTs (with issuer and audience), one taking RS256 JWTs against
 * a JWK set, one taking a shared token; all rate limited on a clock the test moves.
 */
class HostileRequestsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] SECRET =
            "an HS256 secret of more than thirty-two bytes".getBytes(StandardCharsets.UTF_8);
    private static final String ISSUER = "https://id.example.test";
    private static final String AUDIENCE = "shuttle-hub";
    private static final String PUSH = "/v1/sync/push";
    private static final String PULL = "/v1/sync/pull";
    private static final String SNAPSHOT = "/v1/sync/snapshot";
    private static final String LEASE = "/v1/nodes/lease";
    private static final String SQL = "x'; DROP TABLE customer; --";

    @TempDir
    Path dir;

    private final AtomicLong clock = new AtomicLong(System.currentTimeMillis());
    private ShuttleDatabase hubDb;
    private SyncEngine engine;
    private final Map<String, HubServer> hubs = new LinkedHashMap<>();
    private RSAKey rsa;

    private final String aliceNode = UUID.randomUUID().toString();
    private final String bobNode = UUID.randomUUID().toString();
    private String alice;
    private String bob;

    @BeforeEach
    void start() throws Exception {
        hubDb = Fixtures.hubDatabase(dir);
        engine = SyncEngine.open(hubDb);
        rsa = new RSAKeyGenerator(2048).keyID("k1").generate();
        Path jwks = dir.resolve("jwks.json");
        Files.writeString(jwks, new JWKSet(rsa.toPublicJWK()).toString());
        hubs.put(
                "jwt",
                hub(
                        JwtAuthenticator.hs256(SECRET)
                                .issuer(ISSUER)
                                .audience(AUDIENCE)
                                .build(),
                        null));
        hubs.put("jwks", hub(JwtAuthenticator.jwks(jwks.toString()).build(), null));
        hubs.put("shared", hub(null, Fixtures.TOKEN));
        alice = hs256(claims("alice").build());
        bob = hs256(claims("bob").build());
    }

    private HubServer hub(JwtAuthenticator jwt, String token) {
        HubServer.Builder b = HubServer.builder(engine)
                .host("127.0.0.1")
                .port(0)
                .maxBodyBytes(64 * 1024)
                .maxBatch(100)
                .rateLimit(1, 3)
                .clock(clock::get);
        return (jwt != null ? b.authenticator(jwt) : b.token(token)).start();
    }

    @AfterEach
    void stop() {
        hubs.values().forEach(HubServer::close);
        hubDb.close();
    }

    /**
     * A body over the limit is answered 413 every time, however fast the client sends it, and the connection
     * then serves the next request: the hub reads and drops the rest of the body before answering, where
     * closing a socket with unread bytes in it would reset the connection and could take the answer with it.
     */
    @Test
    void aBodyOverTheLimitIsAnsweredEveryTimeAndTheConnectionGoesOn() throws Exception {
        byte[] huge = push(
                        aliceNode, change(aliceNode, "values", "{\"id\":900,\"name\":" + q("x".repeat(200_000)) + "}"))
                .getBytes(StandardCharsets.UTF_8);
        URI url = hubs.get("shared").url();
        for (int i = 0; i < 40; i++) {
            clock.addAndGet(10_000); // the hubs' rate limit sees each connection apart
            try (Socket socket = new Socket(url.getHost(), url.getPort())) {
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                out.write(("POST " + PUSH + " HTTP/1.1\r\nHost: hub\r\nAuthorization: Bearer " + Fixtures.TOKEN
                                + "\r\nContent-Type: application/json\r\nContent-Length: " + huge.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(huge);
                out.write(("GET /health HTTP/1.1\r\nHost: hub\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                String first = readAnswer(in);
                assertThat(first).as("answer %d", i).startsWith("HTTP/1.1 413").contains("PAYLOAD_TOO_LARGE");
                assertThat(readAnswer(in))
                        .as("the next request on the connection, %d", i)
                        .startsWith("HTTP/1.1 200");
            }
        }
    }

    /** One HTTP/1.1 answer with a Content-Length body, read off the socket: status line, headers and body. */
    private static String readAnswer(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("the connection closed after: " + head);
            }
            head.append((char) c);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    @Test
    void everyHostileRequestIsRefusedClearlyAndChangesNothing() throws Exception {
        // alice and bob each registered a device and pushed a row
        expectOk(send("jwt", "POST", LEASE, alice, lease("alices-laptop", aliceNode)));
        expectOk(send("jwt", "POST", PUSH, alice, push(aliceNode, change(aliceNode))));
        expectOk(send("jwt", "POST", LEASE, bob, lease("bobs-phone", bobNode)));
        expectOk(send(
                "jwt",
                "POST",
                PUSH,
                bob,
                push(bobNode, change(bobNode, "key", "[901]", "values", "{\"id\":901,\"name\":\"b\"}"))));
        Map<String, List<String>> before = HubTables.snapshot(dir.resolve("hub.db"));
        assertThat(before.get("customer")).hasSize(4);
        assertThat(before.get("_shuttle_node_subjects")).hasSize(2);

        List<Case> cases = catalogue();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(60);
        SoftAssertions soft = new SoftAssertions();
        long started = System.nanoTime();
        for (Case c : cases) {
            clock.addAndGet(60_000); // every bucket full again: only the rate limit case runs into its limit
            if (c.before != null) {
                c.before.run();
            }
            HttpResponse<String> r;
            try {
                r = c.send();
            } catch (java.io.IOException e) {
                r = null;
                soft.fail(c.name + " (" + c.method + " " + c.path + "): no answer: " + e);
            }
            if (r != null) {
                check(soft, c, r);
            }
            Map<String, List<String>> after = HubTables.snapshot(dir.resolve("hub.db"));
            soft.assertThat(after).as(c.name + ": the hub's database changed").isEqualTo(before);
            if (!after.equals(before)) {
                before = after; // report each change once, at the case that made it
            }
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("%d hostile requests in %d ms%n", cases.size(), millis);
        soft.assertAll();

        // the hub still serves, and the snapshot sees a change when there is one
        clock.addAndGet(60_000);
        expectOk(send(
                "jwt",
                "POST",
                PUSH,
                alice,
                push(aliceNode, change(aliceNode, "key", "[902]", "values", "{\"id\":902,\"name\":\"c\"}"))));
        assertThat(HubTables.snapshot(dir.resolve("hub.db"))).isNotEqualTo(before);
    }

    private static void check(SoftAssertions soft, Case c, HttpResponse<String> r) {
        String what =
                c.name + " (" + c.method + " " + c.path + ") answered " + r.statusCode() + " " + abbreviate(r.body());
        soft.assertThat(r.statusCode()).as(what).isEqualTo(c.status);
        if (c.code == null) {
            return;
        }
        if (c.rejected) {
            checkRejected(soft, c, r, what);
            return;
        }
        JsonNode error;
        try {
            error = JSON.readTree(r.body()).path("error");
        } catch (JsonProcessingException e) {
            soft.fail(what + ": not a JSON error body");
            return;
        }
        String code = error.path("code").asText();
        String message = error.path("message").asText();
        soft.assertThat(code).as(what).isEqualTo(c.code);
        soft.assertThat(r.headers().firstValue("Content-Type").orElse(""))
                .as(what)
                .startsWith("application/json");
        try {
            soft.assertThat(ErrorCode.valueOf(code).httpStatus())
                    .as(what + ": the code's own status")
                    .isEqualTo(r.statusCode());
        } catch (IllegalArgumentException e) {
            soft.fail(what + ": unknown code " + code);
        }
        if (c.fragment != null) {
            soft.assertThat(message).as(what).contains(c.fragment);
        }
        soft.assertThat(message)
                .as(what + ": no internals in the message")
                .doesNotContain("at io.", "at java.", "SQLException", "NullPointerException");
        if (r.statusCode() == 401) {
            soft.assertThat(r.headers().firstValue("WWW-Authenticate"))
                    .as(what)
                    .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        }
        if (r.statusCode() == 429) {
            soft.assertThat(r.headers().firstValue("Retry-After")).as(what).hasValue("1");
        }
    }

    /** A push the hub answered, refusing its one change as a rejected write (the queue behind it goes on). */
    private static void checkRejected(SoftAssertions soft, Case c, HttpResponse<String> r, String what) {
        JsonNode refused;
        try {
            refused = JSON.readTree(r.body()).path("rejected").path(0);
        } catch (JsonProcessingException e) {
            soft.fail(what + ": not a JSON push answer");
            return;
        }
        soft.assertThat(refused.path("index").asInt(-1)).as(what).isZero();
        soft.assertThat(refused.path("code").asText()).as(what).isEqualTo(c.code);
        soft.assertThat(refused.path("message").asText()).as(what).contains(c.fragment);
        soft.assertThat(refused.path("message").asText())
                .as(what + ": no internals in the message")
                .doesNotContain("at io.", "at java.", "SQLException", "NullPointerException");
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    // ------------------------------------------------------------------ the catalogue

    private List<Case> catalogue() throws Exception {
        List<Case> all = new ArrayList<>();
        String good = change(aliceNode);
        String valid = push(aliceNode, good);
        long now = System.currentTimeMillis();

        // malformed bodies
        all.add(post("not JSON", "{not json").expect(400, "MALFORMED_PAYLOAD", "not valid JSON"));
        all.add(post("an empty body", "").expect(400, "MALFORMED_PAYLOAD", "the request body is empty"));
        all.add(post("a JSON array", "[" + good + "]").expect(400, "MALFORMED_PAYLOAD", "a JSON object is required"));
        all.add(post("a JSON string", "\"push\"").expect(400, "MALFORMED_PAYLOAD", "a JSON object is required"));
        all.add(post("JSON null", "null").expect(400, "MALFORMED_PAYLOAD", "a JSON object is required"));
        all.add(post("a valid push, then more JSON", valid + "{\"nodeUuid\":\"" + bobNode + "\"}")
                .expect(400, "MALFORMED_PAYLOAD", "not valid JSON"));
        all.add(post("no nodeUuid", "{\"changes\":[" + good + "]}")
                .expect(400, "MALFORMED_PAYLOAD", "nodeUuid: a non-empty string is required"));
        all.add(post("no changes", "{\"nodeUuid\":\"" + aliceNode + "\"}")
                .expect(400, "MALFORMED_PAYLOAD", "changes: an array of changes is required"));
        all.add(post("changes as an object", "{\"nodeUuid\":\"" + aliceNode + "\",\"changes\":{\"0\":" + good + "}}")
                .expect(400, "MALFORMED_PAYLOAD", "changes: an array of changes is required"));
        all.add(post("nodeUuid as a number", "{\"nodeUuid\":42,\"changes\":[" + good + "]}")
                .expect(400, "MALFORMED_PAYLOAD", "nodeUuid: a non-empty string is required"));
        all.add(post("nodeUuid a path, not a UUID", push("../../etc/passwd", good))
                .expect(400, "INVALID_ARGUMENT", "node must be a UUID"));
        all.add(post("protocol version 2", valid.replace("\"protocol\":1", "\"protocol\":2"))
                .expect(400, "MALFORMED_PAYLOAD", "this hub speaks version 1"));
        all.add(post("a change that is a string", push(aliceNode, "\"UPSERT customer 1\""))
                .expect(400, "MALFORMED_PAYLOAD", "changes[0]: a change must be a JSON object"));
        all.add(post("a change without table", push(aliceNode, change(aliceNode, "table", null)))
                .expect(400, "MALFORMED_PAYLOAD", "changes[0].table: a non-empty string is required"));
        all.add(post("op TRUNCATE", push(aliceNode, change(aliceNode, "op", "\"TRUNCATE\"")))
                .expect(400, "MALFORMED_PAYLOAD", "expected UPSERT or DELETE"));
        all.add(post("op in lower case", push(aliceNode, change(aliceNode, "op", "\"upsert\"")))
                .expect(400, "MALFORMED_PAYLOAD", "expected UPSERT or DELETE"));
        all.add(post("an empty key", push(aliceNode, change(aliceNode, "key", "[]")))
                .expect(400, "MALFORMED_PAYLOAD", "key: a non-empty array"));
        all.add(post("a key that is an object", push(aliceNode, change(aliceNode, "key", "{\"id\":900}")))
                .expect(400, "MALFORMED_PAYLOAD", "key: a non-empty array"));
        all.add(post("an upsert without values", push(aliceNode, change(aliceNode, "values", null)))
                .expect(400, "MALFORMED_PAYLOAD", "values: an object of column values is required"));
        all.add(post("values as an array", push(aliceNode, change(aliceNode, "values", "[900,\"n\"]")))
                .expect(400, "MALFORMED_PAYLOAD", "values: an object of column values is required"));
        all.add(post("an hlc too short", push(aliceNode, change(aliceNode, "hlc", "\"0001\"")))
                .expect(400, "MALFORMED_PAYLOAD", "changes[0].hlc"));
        all.add(post(
                        "an hlc in capitals",
                        push(
                                aliceNode,
                                change(
                                        aliceNode,
                                        "hlc",
                                        q(Hlc.encode(Hlc.pack(now, 0))
                                                .toUpperCase()
                                                .replace('0', 'F')))))
                .expect(400, "MALFORMED_PAYLOAD", "changes[0].hlc"));
        all.add(post("a negative version", push(aliceNode, change(aliceNode, "version", "-1")))
                .expect(400, "MALFORMED_PAYLOAD", "version: a non-negative integer"));
        all.add(post("a version as a string", push(aliceNode, change(aliceNode, "version", "\"1\"")))
                .expect(400, "MALFORMED_PAYLOAD", "version: a non-negative integer"));
        all.add(post(
                        "a value beyond 64 bits",
                        push(
                                aliceNode,
                                change(
                                        aliceNode,
                                        "values",
                                        "{\"id\":900,\"name\":\"n\",\"balance\":18446744073709551617}")))
                .expect(400, "MALFORMED_PAYLOAD", "does not fit in 64 bits"));
        all.add(post(
                        "a version beyond 64 bits (1 once wrapped)",
                        push(aliceNode, change(aliceNode, "version", "18446744073709551617")))
                .expect(400, "MALFORMED_PAYLOAD", "at most 64 bits"));
        all.add(post(
                        "a key of 1e999999 (infinity as a double)",
                        push(
                                aliceNode,
                                change(aliceNode, "key", "[1e999999]", "values", "{\"id\":1e999999,\"name\":\"n\"}")))
                .expectRejected("INVALID_VALUE", "datatype mismatch"));
        all.add(post("a number of 2000 digits", push(aliceNode, change(aliceNode, "version", "9".repeat(2000))))
                .expect(400, "MALFORMED_PAYLOAD", "not valid JSON"));
        all.add(post("arrays nested 5000 deep", "[".repeat(5000) + "]".repeat(5000))
                .expect(400, "MALFORMED_PAYLOAD", "not valid JSON"));
        all.add(post(
                        "a value nested 200 deep",
                        push(
                                aliceNode,
                                change(
                                        aliceNode,
                                        "values",
                                        "{\"id\":900,\"name\":" + "[".repeat(200) + "]".repeat(200) + "}")))
                .expect(400, "MALFORMED_PAYLOAD", "unsupported value"));
        all.add(post(
                        "invalid UTF-8 in a string",
                        bytes(valid.replace("\"n\"", "\"\u0001\u0002\""), new byte[] {(byte) 0xC3, 0x28}))
                .expect(400, "MALFORMED_PAYLOAD", "not well-formed UTF-8"));
        all.add(post(
                        "an overlong UTF-8 '/'",
                        bytes(valid.replace("\"n\"", "\"\u0001\u0002\""), new byte[] {(byte) 0xC0, (byte) 0xAF}))
                .expect(400, "MALFORMED_PAYLOAD", "not well-formed UTF-8"));
        all.add(post("a surrogate in UTF-8", bytes(valid.replace("\"n\"", "\"\u0001\u0002\""), new byte[] {
                    (byte) 0xED, (byte) 0xA0, (byte) 0x80
                }))
                .expect(400, "MALFORMED_PAYLOAD", "not well-formed UTF-8"));
        all.add(post("a valid push in UTF-16", valid.getBytes(StandardCharsets.UTF_16BE))
                .expect(400, "MALFORMED_PAYLOAD", "not well-formed UTF-8"));
        all.add(post("a lone surrogate as table name", push(aliceNode, change(aliceNode, "table", "\"\\ud800\"")))
                .expectRejected("SCHEMA_MISMATCH", "is not synced here"));
        all.add(post("a valid push sent as a form", valid)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .expect(400, "MALFORMED_PAYLOAD", "must be JSON"));
        all.add(post("a valid push sent as text", valid)
                .header("Content-Type", "text/plain; charset=utf-8")
                .expect(400, "MALFORMED_PAYLOAD", "not 'text/plain'"));
        all.add(post("a valid push sent as multipart", valid)
                .header("Content-Type", "multipart/form-data; boundary=x")
                .expect(400, "MALFORMED_PAYLOAD", "must be JSON"));
        all.add(post("a valid push sent as XML", valid)
                .header("Content-Type", "application/xml")
                .expect(400, "MALFORMED_PAYLOAD", "must be JSON"));

        // limits
        String huge =
                push(aliceNode, change(aliceNode, "values", "{\"id\":900,\"name\":" + q("x".repeat(70_000)) + "}"));
        all.add(post("a body over the limit", huge).expect(413, "PAYLOAD_TOO_LARGE", "at most 65536 bytes"));
        all.add(post("a body over the limit, chunked", huge)
                .chunked()
                .expect(413, "PAYLOAD_TOO_LARGE", "at most 65536 bytes"));
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            many.add(change(
                    aliceNode, "key", "[" + (1000 + i) + "]", "values", "{\"id\":" + (1000 + i) + ",\"name\":\"m\"}"));
        }
        all.add(post("101 changes", push(aliceNode, many.toArray(String[]::new)))
                .expect(400, "MALFORMED_PAYLOAD", "at most 100 changes"));
        all.add(get("a pull limit beyond an int", PULL + "?since=0&limit=2147483648", aliceNode)
                .expect(400, "INVALID_ARGUMENT", "limit must be a positive integer"));
        all.add(get("a pull limit of 0", PULL + "?since=0&limit=0", aliceNode)
                .expect(400, "INVALID_ARGUMENT", "limit must be a positive integer"));
        all.add(get("a negative since", PULL + "?since=-5", aliceNode)
                .expect(400, "INVALID_ARGUMENT", "since must be a non-negative integer"));
        all.add(get("since beyond 64 bits", PULL + "?since=99999999999999999999", aliceNode)
                .expect(400, "INVALID_ARGUMENT", "since must be a non-negative integer"));
        all.add(get("a snapshot after SQL", SNAPSHOT + "?after=1%3BDROP%20TABLE%20customer", aliceNode)
                .expect(400, "INVALID_ARGUMENT", "after must be a non-negative integer"));
        all.add(post("a lease for a device key of 300 characters", lease("k".repeat(300), aliceNode))
                .path(LEASE)
                .expect(400, "INVALID_ARGUMENT", "deviceKey"));
        all.add(post("a lease without a body", "").path(LEASE).expect(400, "MALFORMED_PAYLOAD", "empty"));
        all.add(post("a lease of a node that is SQL", lease("alices-laptop", SQL))
                .path(LEASE)
                .expect(400, "INVALID_ARGUMENT", "nodeUuid must be a UUID"));

        // hostile names and values
        all.add(post("an unknown table", push(aliceNode, change(aliceNode, "table", "\"nope\"")))
                .expectRejected("SCHEMA_MISMATCH", "table \"nope\" is not synced here"));
        all.add(post(
                        "a table name with a statement in it",
                        push(aliceNode, change(aliceNode, "table", q("customer\"; DROP TABLE customer; --"))))
                .expectRejected("SCHEMA_MISMATCH", "is not synced here"));
        all.add(post("the hub's own feed table", push(aliceNode, change(aliceNode, "table", "\"_shuttle_feed\"")))
                .expectRejected("SCHEMA_MISMATCH", "is not synced here"));
        all.add(post("sqlite_master", push(aliceNode, change(aliceNode, "table", "\"sqlite_master\"")))
                .expectRejected("SCHEMA_MISMATCH", "is not synced here"));
        all.add(post("the table in full-width letters", push(aliceNode, change(aliceNode, "table", q("ｃｕｓｔｏｍｅｒ"))))
                .expectRejected("SCHEMA_MISMATCH", "is not synced here"));
        // a name that differs from a synced table's by case alone is that table (SQLite keeps case, PostgreSQL folds
        // it:
        // NameCaseIT); one letter more is another table
        all.add(post("a table name one letter off", push(aliceNode, change(aliceNode, "table", "\"CUSTOMERS\"")))
                .expectRejected("SCHEMA_MISMATCH", "is not synced here"));
        all.add(post("a NUL byte in the table name", push(aliceNode, change(aliceNode, "table", "\"customer\\u0000\"")))
                .expectRejected("SCHEMA_MISMATCH", "is not synced here"));
        all.add(post(
                        "a table name of 50000 characters",
                        push(aliceNode, change(aliceNode, "table", q("t".repeat(50_000)))))
                .expectRejected("SCHEMA_MISMATCH", "is not synced here"));
        all.add(post(
                        "an unknown column",
                        push(aliceNode, change(aliceNode, "values", "{\"id\":900,\"name\":\"n\",\"nope\":1}")))
                .expectRejected("SCHEMA_MISMATCH", "unknown or unreplicated column \"nope\""));
        all.add(post(
                        "a column named with SQL",
                        push(
                                aliceNode,
                                change(
                                        aliceNode,
                                        "values",
                                        "{\"id\":900,\"name\":\"n\"," + q("name\" = 'x'; DROP TABLE customer; --")
                                                + ":1}")))
                .expectRejected("SCHEMA_MISMATCH", "unknown or unreplicated column"));
        all.add(post(
                        "a NUL byte in a column name",
                        push(aliceNode, change(aliceNode, "values", "{\"id\":900,\"name\\u0000\":\"n\"}")))
                .expectRejected("SCHEMA_MISMATCH", "unknown or unreplicated column"));
        all.add(post(
                        "the hub's capture column as a column",
                        push(aliceNode, change(aliceNode, "values", "{\"id\":900,\"name\":\"n\",\"rowid\":5}")))
                .expectRejected("SCHEMA_MISMATCH", "unknown or unreplicated column \"rowid\""));
        all.add(post(
                        "SQL in a value, then a malformed change (the batch is atomic)",
                        push(
                                aliceNode,
                                change(aliceNode, "values", "{\"id\":900,\"name\":" + q(SQL) + "}"),
                                change(aliceNode, "op", "\"MERGE\"")))
                .expect(400, "MALFORMED_PAYLOAD", "changes[1].op"));
        all.add(post(
                        "a change of an unknown table, then a malformed change (the batch is refused whole)",
                        push(aliceNode, change(aliceNode, "table", "\"nope\""), change(aliceNode, "key", "[900,1]")))
                .expect(400, "MALFORMED_PAYLOAD", "changes[1] (customer): key has 2 parts"));
        all.add(post(
                        "SQL text as an integer key",
                        push(
                                aliceNode,
                                change(
                                        aliceNode,
                                        "key",
                                        "[" + q("1; DROP TABLE customer") + "]",
                                        "values",
                                        "{\"id\":" + q("1; DROP TABLE customer") + ",\"name\":\"n\"}")))
                .expectRejected("INVALID_VALUE", "datatype mismatch"));
        all.add(post(
                        "SQL text as the key of an integer column",
                        push(
                                aliceNode,
                                change(
                                        aliceNode,
                                        "key",
                                        "[" + q("1 OR 1=1") + "]",
                                        "values",
                                        "{\"id\":" + q("1 OR 1=1") + ",\"name\":\"n\"}")))
                .expectRejected("INVALID_VALUE", "datatype mismatch"));
        all.add(post(
                        "a new row without its NOT NULL column",
                        push(aliceNode, change(aliceNode, "values", "{\"id\":900}")))
                .expectRejected("CONSTRAINT", "NOT NULL constraint failed: customer.name"));
        all.add(post("a key that differs from its values", push(aliceNode, change(aliceNode, "key", "[5]")))
                .expect(400, "MALFORMED_PAYLOAD", "does not match the change's key"));
        all.add(post(
                        "a null key part",
                        push(aliceNode, change(aliceNode, "key", "[null]", "values", "{\"id\":null,\"name\":\"n\"}")))
                .expect(400, "MALFORMED_PAYLOAD", "key parts must not be null"));
        all.add(post("a key of two parts", push(aliceNode, change(aliceNode, "key", "[900,1]")))
                .expect(400, "MALFORMED_PAYLOAD", "key has 2 parts"));
        all.add(post(
                        "a NUL byte in a value, then a malformed change",
                        push(aliceNode, change(aliceNode, "values", "{\"id\":900,\"name\":\"a\\u0000b\"}"), "{}"))
                .expect(400, "MALFORMED_PAYLOAD", "changes[1]"));
        all.add(post(
                        "a value of 60000 characters, then a malformed change",
                        push(
                                aliceNode,
                                change(aliceNode, "values", "{\"id\":900,\"name\":" + q("v".repeat(60_000)) + "}"),
                                "{}"))
                .expect(400, "MALFORMED_PAYLOAD", "changes[1]"));
        all.add(post(
                        "nodeUuid twice: alice's, then bob's",
                        "{\"nodeUuid\":\"" + aliceNode + "\",\"nodeUuid\":\"" + bobNode + "\",\"changes\":[" + good
                                + "]}")
                .expect(403, "FORBIDDEN", "belongs to another subject"));
        all.add(get("a node header of 4000 characters", PULL + "?since=0", "n".repeat(4000))
                .expect(400, "INVALID_ARGUMENT", "node must be a UUID"));
        all.add(get("a node header of SQL", PULL + "?since=0", SQL)
                .expect(400, "INVALID_ARGUMENT", "node must be a UUID"));
        all.add(get("a snapshot for a node of SQL in the query", SNAPSHOT + "?after=0&node=" + enc(SQL), null)
                .expect(400, "INVALID_ARGUMENT", "node must be a UUID"));

        // tokens and identities
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("k2").generate();
        RSAKey impostor = new RSAKeyGenerator(2048).keyID("k1").generate();
        all.add(post("no token", valid).token(null).expect(401, "UNAUTHORIZED", "a bearer token is required"));
        all.add(post("the scheme without a token", valid)
                .token(null)
                .header("Authorization", "Bearer ")
                .expect(401, "UNAUTHORIZED", "a bearer token is required"));
        all.add(post("alg none", valid)
                .token(new PlainJWT(claims("alice").build()).serialize())
                .expect(401, "UNAUTHORIZED", "unsigned token (alg: none)"));
        all.add(post("alg none with a signature", valid)
                .token(new PlainJWT(claims("alice").build()).serialize() + "c2lnbmF0dXJl")
                .expect(401, "UNAUTHORIZED", "malformed token"));
        all.add(post("RS256 at the HS256 hub", valid)
                .token(rs256(claims("alice").build(), rsa))
                .expect(401, "UNAUTHORIZED", "algorithm RS256 is not accepted"));
        all.add(post("HS256 signed with the hub's public RSA key", valid)
                .hub("jwks")
                .token(hs256(claims("alice").build(), rsa.toPublicKey().getEncoded()))
                .expect(401, "UNAUTHORIZED", "algorithm HS256 is not accepted"));
        all.add(post("an unknown kid", valid)
                .hub("jwks")
                .token(rs256(claims("alice").build(), stranger))
                .expect(401, "UNAUTHORIZED", "unknown key id (kid) 'k2'"));
        all.add(post("the hub's kid, another key", valid)
                .hub("jwks")
                .token(rs256(claims("alice").build(), impostor))
                .expect(401, "UNAUTHORIZED", "bad signature"));
        all.add(post("another secret", valid)
                .token(hs256(
                        claims("alice").build(),
                        "another secret of more than thirty-two bytes!".getBytes(StandardCharsets.UTF_8)))
                .expect(401, "UNAUTHORIZED", "bad signature"));
        all.add(post("bob's token with alice's name in it", valid)
                .token(swapPayload(bob, claims("alice").build()))
                .expect(401, "UNAUTHORIZED", "bad signature"));
        all.add(post("expired", valid)
                .token(hs256(
                        claims("alice").expirationTime(new Date(now - 120_000)).build()))
                .expect(401, "UNAUTHORIZED", "expired at"));
        all.add(post("not yet valid", valid)
                .token(hs256(
                        claims("alice").notBeforeTime(new Date(now + 120_000)).build()))
                .expect(401, "UNAUTHORIZED", "not valid before"));
        all.add(post("a wrong issuer", valid)
                .token(hs256(claims("alice").issuer("https://evil.test").build()))
                .expect(401, "UNAUTHORIZED", "wrong issuer 'https://evil.test'"));
        all.add(post("a wrong audience", valid)
                .token(hs256(claims("alice").audience("another-hub").build()))
                .expect(401, "UNAUTHORIZED", "wrong audience"));
        all.add(post("no expiry", valid)
                .token(hs256(claims("alice").expirationTime(null).build()))
                .expect(401, "UNAUTHORIZED", "no expiry (exp)"));
        all.add(post("no subject", valid)
                .token(hs256(claims(null).build()))
                .expect(401, "UNAUTHORIZED", "names no subject"));
        all.add(post("a blank subject", valid)
                .token(hs256(claims(" ").build()))
                .expect(401, "UNAUTHORIZED", "names no subject"));
        all.add(post("exp as text", valid)
                .token(hs256(claims("alice").claim("exp", "tomorrow").build()))
                .expect(401, "UNAUTHORIZED", "token refused"));
        all.add(post("malformed", valid).token("not.a.jwt").expect(401, "UNAUTHORIZED", "malformed token"));
        all.add(post("a header of JSON null", valid)
                .token("bnVsbA." + alice.split("\\.")[1] + "." + alice.split("\\.")[2])
                .expect(401, "UNAUTHORIZED", "malformed token"));
        all.add(post("6000 characters of garbage", valid)
                .token("A".repeat(6000))
                .expect(401, "UNAUTHORIZED", "malformed token"));
        all.add(post("an encrypted token (JWE)", valid)
                .token(jwe(claims("alice").build()))
                .expect(401, "UNAUTHORIZED", "encrypted tokens (JWE) are not accepted"));
        all.add(get("a token in the query string", "/v1/schema?access_token=" + alice, null)
                .token(null)
                .expect(401, "UNAUTHORIZED", "a token in the query string ('access_token') is refused"));
        all.add(post("a token in the query string beside a header", valid)
                .path(PUSH + "?token=" + alice)
                .expect(401, "UNAUTHORIZED", "query string"));
        all.add(post("the Basic scheme", valid)
                .token(null)
                .header("Authorization", "Basic YWxpY2U6c2VjcmV0")
                .expect(401, "UNAUTHORIZED", "must be 'Bearer <token>'"));
        all.add(post("the shared-token hub, another token", valid)
                .hub("shared")
                .token("guess")
                .expect(401, "UNAUTHORIZED", "not the hub's token"));
        all.add(post("the shared-token hub, a JWT", valid)
                .hub("shared")
                .expect(401, "UNAUTHORIZED", "not the hub's token"));
        all.add(post("a forged origin", push(aliceNode, change(bobNode)))
                .expect(403, "FORBIDDEN", "carries origin " + bobNode + ", not the pushing node"));
        all.add(post("relay named in another claim", push(aliceNode, change(bobNode)))
                .token(hs256(claims("alice")
                        .claim("role", "relay")
                        .claim("roles", List.of("reader"))
                        .build()))
                .expect(403, "FORBIDDEN", "only a subject with the 'relay' role"));
        all.add(post("roles holding SQL", push(aliceNode, change(bobNode)))
                .token(hs256(claims("alice").claim("roles", "relay'; --").build()))
                .expect(403, "FORBIDDEN", "only a subject with the 'relay' role"));
        all.add(post("roles as an object", push(aliceNode, change(bobNode)))
                .token(hs256(
                        claims("alice").claim("roles", Map.of("relay", true)).build()))
                .expect(403, "FORBIDDEN", "only a subject with the 'relay' role"));
        all.add(post("a subject named 'trusted' relaying", push(aliceNode, change(bobNode)))
                .token(hs256(claims("trusted").build()))
                .expect(403, "FORBIDDEN", null));
        all.add(post("bob pushes as alice's node", push(aliceNode, change(aliceNode)))
                .token(bob)
                .expect(403, "FORBIDDEN", "node " + aliceNode + " belongs to another subject"));
        all.add(get("bob pulls as alice's node", PULL + "?since=0", aliceNode)
                .token(bob)
                .expect(403, "FORBIDDEN", "belongs to another subject"));
        all.add(get("bob pulls as alice's node, named in the query", PULL + "?since=0&node=" + aliceNode, null)
                .token(bob)
                .expect(403, "FORBIDDEN", "belongs to another subject"));
        all.add(get("bob takes a snapshot as alice's node", SNAPSHOT + "?after=0", aliceNode)
                .token(bob)
                .expect(403, "FORBIDDEN", "belongs to another subject"));
        all.add(post("bob leases alice's node", lease("bobs-tablet", aliceNode))
                .path(LEASE)
                .token(bob)
                .expect(403, "FORBIDDEN", "belongs to another subject"));
        all.add(post("bob leases alice's device key", lease("alices-laptop", bobNode))
                .path(LEASE)
                .token(bob)
                .expect(403, "FORBIDDEN", "belongs to another subject"));
        all.add(post("bob at the JWKS hub as alice's node", valid)
                .hub("jwks")
                .token(rs256(claims("bob").build(), rsa))
                .expect(403, "FORBIDDEN", "belongs to another subject"));
        all.add(post("a subject of SQL pushes as alice's node", valid)
                .token(hs256(claims(SQL).build()))
                .expect(403, "FORBIDDEN", "belongs to another subject"));
        all.add(get("a subject of SQL reads the schema", "/v1/schema", null)
                .token(hs256(claims(SQL).claim("tenant", "' OR 1=1 --").build()))
                .expect(200, null, null));

        // paths and methods
        all.add(get("an unknown endpoint", "/v1/nowhere", null).expect(404, "NOT_FOUND", "/v1/nowhere not found"));
        all.add(get("a path climbing out", "/v1/sync/../../etc/passwd", null).expect(404, "NOT_FOUND", null));
        all.add(get("an encoded path climbing out", "/v1/sync/%2e%2e/%2e%2e/etc/passwd", null)
                .expect(404, "NOT_FOUND", null));
        all.add(post("an encoded slash", valid).path("/v1/sync%2fpush").expect(404, "NOT_FOUND", null));
        all.add(post("a NUL in the path", valid)
                .path("/v1/sync/push%00")
                .expect(400, "INVALID_ARGUMENT", "before it reached the hub"));
        all.add(post("the path in capitals", valid).path("/V1/SYNC/PUSH").expect(404, "NOT_FOUND", null));
        all.add(post("a double slash", valid).path("//v1/sync/push").expect(404, "NOT_FOUND", null));
        all.add(post("a trailing slash without a token", valid)
                .path(PUSH + "/")
                .token(null)
                .expect(401, "UNAUTHORIZED", "a bearer token is required"));
        all.add(post("DELETE on push", valid).method("DELETE").expect(404, "NOT_FOUND", null));
        all.add(post("PUT on lease", lease("alices-laptop", aliceNode))
                .path(LEASE)
                .method("PUT")
                .expect(404, "NOT_FOUND", null));
        all.add(get("GET on push", PUSH, null).expect(404, "NOT_FOUND", null));
        all.add(post("POST on pull", valid).path(PULL).expect(404, "NOT_FOUND", null));
        all.add(post("POST on health", valid).path("/health").token(null).expect(404, "NOT_FOUND", null));
        all.add(get("Bridge on a hub without it", "/v1/bridge/runs", null).expect(404, "NOT_FOUND", null));

        // rate limit: three requests a burst, then a valid push is refused and changes nothing
        String flood = hs256(claims("flood").build());
        String floodNode = UUID.randomUUID().toString();
        all.add(post("a push over the rate limit", push(floodNode, change(floodNode)))
                .token(flood)
                .before(() -> {
                    for (int i = 0; i < 3; i++) {
                        assertThat(send("jwt", "GET", "/v1/schema", flood, null).statusCode())
                                .isEqualTo(200);
                    }
                })
                .expect(429, "RATE_LIMITED", "too many requests from this subject"));
        return all;
    }

    // ------------------------------------------------------------------ requests

    private Case post(String name, String body) {
        return post(name, body.getBytes(StandardCharsets.UTF_8));
    }

    private Case post(String name, byte[] body) {
        Case c = new Case(name);
        c.method = "POST";
        c.path = PUSH;
        c.body = body;
        c.token = alice;
        return c;
    }

    private Case get(String name, String path, String node) {
        Case c = new Case(name);
        c.method = "GET";
        c.path = path;
        c.token = alice;
        if (node != null) {
            c.headers.put("X-Shuttle-Node", node);
        }
        return c;
    }

    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }

    /** One row of the catalogue. */
    private final class Case {
        final String name;
        String hub = "jwt";
        String method;
        String path;
        byte[] body;
        boolean chunked;
        String token;
        final Map<String, String> headers = new LinkedHashMap<>();
        Step before;
        int status;
        String code;
        String fragment;
        boolean rejected;

        Case(String name) {
            this.name = name;
        }

        Case hub(String h) {
            hub = h;
            return this;
        }

        Case path(String p) {
            path = p;
            return this;
        }

        Case method(String m) {
            method = m;
            return this;
        }

        Case token(String t) {
            token = t;
            return this;
        }

        Case header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        Case chunked() {
            chunked = true;
            return this;
        }

        Case before(Step s) {
            before = s;
            return this;
        }

        Case expect(int s, String c, String f) {
            status = s;
            code = c;
            fragment = f;
            return this;
        }

        /** Answered 200, with the change refused as a rejected write of code {@code c}: nothing stored. */
        Case expectRejected(String c, String f) {
            expect(200, c, f);
            rejected = true;
            return this;
        }

        HttpResponse<String> send() throws Exception {
            HttpRequest.Builder b =
                    HttpRequest.newBuilder(URI.create(hubs.get(hub).url() + path));
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
            if (body != null && !headers.containsKey("Content-Type")) {
                b.header("Content-Type", "application/json");
            }
            headers.forEach(b::header);
            HttpRequest.BodyPublisher publisher = body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : chunked
                            ? HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofByteArray(body))
                            : HttpRequest.BodyPublishers.ofByteArray(body);
            // a client of its own: a connection the hub closed after one case cannot fail the next
            try (HttpClient http =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
                return http.send(b.method(method, publisher).build(), HttpResponse.BodyHandlers.ofString());
            }
        }
    }

    private HttpResponse<String> send(String hub, String method, String path, String token, String body)
            throws Exception {
        Case c = body == null ? get("setup", path, null) : post("setup", body).path(path);
        return c.hub(hub).method(method).token(token).send();
    }

    private static void expectOk(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.request().uri() + ": " + r.body()).isEqualTo(200);
    }

    // ------------------------------------------------------------------ bodies

    private static String push(String node, String... changes) {
        return "{\"protocol\":1,\"nodeUuid\":" + q(node) + ",\"changes\":[" + String.join(",", changes) + "]}";
    }

    /** A valid change of customer 900 written at {@code origin}, with fields replaced (raw JSON) or left out (null). */
    private static String change(String origin, String... replacements) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("table", "\"customer\"");
        f.put("key", "[900]");
        f.put("op", "\"UPSERT\"");
        f.put("values", "{\"id\":900,\"name\":\"n\"}");
        f.put("hlc", q(Hlc.encode(Hlc.pack(System.currentTimeMillis(), 0))));
        f.put("origin", q(origin));
        f.put("version", "1");
        f.put("base", "0");
        for (int i = 0; i < replacements.length; i += 2) {
            if (replacements[i + 1] == null) {
                f.remove(replacements[i]);
            } else {
                f.put(replacements[i], replacements[i + 1]);
            }
        }
        List<String> fields = new ArrayList<>();
        f.forEach((k, v) -> fields.add(q(k) + ":" + v));
        return "{" + String.join(",", fields) + "}";
    }

    private static String lease(String deviceKey, String node) {
        return "{\"deviceKey\":" + q(deviceKey) + ",\"nodeUuid\":" + q(node) + "}";
    }

    /** {@code json} in UTF-8 with {@code raw} (bytes that are not UTF-8) where it says \u0001\u0002. */
    private static byte[] bytes(String json, byte[] raw) {
        String[] parts = json.split("\u0001\u0002", 2);
        byte[] head = parts[0].getBytes(StandardCharsets.UTF_8);
        byte[] tail = parts[1].getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[head.length + raw.length + tail.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(raw, 0, out, head.length, raw.length);
        System.arraycopy(tail, 0, out, head.length + raw.length, tail.length);
        return out;
    }

    private static String q(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ tokens

    private static JWTClaimsSet.Builder claims(String sub) {
        long now = System.currentTimeMillis();
        return new JWTClaimsSet.Builder()
                .subject(sub)
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .issueTime(new Date(now))
                .expirationTime(new Date(now + 3_600_000));
    }

    private static String hs256(JWTClaimsSet claims) throws Exception {
        return hs256(claims, SECRET);
    }

    private static String hs256(JWTClaimsSet claims, byte[] secret) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(secret));
        return jwt.serialize();
    }

    private static String rs256(JWTClaimsSet claims, RSAKey key) throws Exception {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static String jwe(JWTClaimsSet claims) throws Exception {
        EncryptedJWT jwt = new EncryptedJWT(new JWEHeader(JWEAlgorithm.DIR, EncryptionMethod.A256GCM), claims);
        jwt.encrypt(new DirectEncrypter(java.util.Arrays.copyOf(SECRET, 32)));
        return jwt.serialize();
    }

    /** {@code token} with its payload replaced by {@code claims}, its header and signature kept. */
    private static String swapPayload(String token, JWTClaimsSet claims) {
        String[] parts = token.split("\\.");
        String payload = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        return parts[0] + "." + payload + "." + parts[2];
    }
}
