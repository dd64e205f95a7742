package io.shuttlebridge.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.id.Hlc;
import io.shuttlebridge.core.internal.protocol.WireCodec;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.server.HubServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DESIGN §8: nodes bound to the subject that registered them, origins checked, who wrote what kept. */
class SubjectBindingIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] SECRET =
            "an HS256 secret of more than thirty-two bytes".getBytes(StandardCharsets.UTF_8);
    private static final TokenIssuer ISSUER = TokenIssuer.hs256(SECRET);
    private static final String ALICE = ISSUER.issue("alice", Map.of(), Duration.ofHours(1), null, null);
    private static final String BOB = ISSUER.issue("bob", Map.of(), Duration.ofHours(1), null, null);
    private static final String TIER =
            ISSUER.issue("tier-hub", Map.of("roles", List.of("relay")), Duration.ofHours(1), null, null);

    @TempDir
    Path dir;

    private ShuttleDatabase hubDb;
    private SyncEngine engine;
    private HubServer hub;
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String aliceNode = UUID.randomUUID().toString();
    private long id;

    @BeforeEach
    void start() {
        hubDb = AuthFixtures.database(dir, "CREATE TABLE customer (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
        engine = SyncEngine.open(hubDb);
        hub = AuthFixtures.serve(engine, JwtAuthenticator.hs256(SECRET).build());
    }

    @AfterEach
    void stop() {
        hub.close();
        hubDb.close();
    }

    @Test
    void aNodeBelongsToTheSubjectThatFirstNamedIt() throws Exception {
        assertThat(push(ALICE, aliceNode, aliceNode).statusCode()).isEqualTo(200);
        long position = engine.feedPosition();

        assertForbidden(push(BOB, aliceNode, aliceNode), "belongs to another subject");
        assertForbidden(get(BOB, "/v1/sync/pull?since=0", aliceNode), "belongs to another subject");
        assertForbidden(get(BOB, "/v1/sync/snapshot?after=0", aliceNode), "belongs to another subject");
        assertForbidden(
                post(BOB, "/v1/nodes/lease", "{\"deviceKey\":\"bobs-phone\",\"nodeUuid\":\"" + aliceNode + "\"}"),
                "belongs to another subject");
        assertThat(engine.feedPosition()).isEqualTo(position);
        assertThat(get(ALICE, "/v1/sync/pull?since=0", aliceNode).statusCode()).isEqualTo(200);
    }

    @Test
    void aDeviceKeyLeasedByOneSubjectCannotBeTakenOverByAnother() throws Exception {
        String body = "{\"deviceKey\":\"alices-laptop\",\"nodeUuid\":\"" + aliceNode + "\"}";
        HttpResponse<String> mine = post(ALICE, "/v1/nodes/lease", body);
        assertThat(mine.statusCode()).isEqualTo(200);
        int shortId = JSON.readTree(mine.body()).get("shortId").asInt();

        String bobNode = UUID.randomUUID().toString();
        assertForbidden(
                post(BOB, "/v1/nodes/lease", "{\"deviceKey\":\"alices-laptop\",\"nodeUuid\":\"" + bobNode + "\"}"),
                "belongs to another subject");
        HttpResponse<String> again = post(ALICE, "/v1/nodes/lease", body);
        assertThat(JSON.readTree(again.body()).get("shortId").asInt()).isEqualTo(shortId);
        assertThat(hubRows("SELECT node_uuid FROM _shuttle_leases")).containsExactly(aliceNode);
    }

    @Test
    void aRefusedPushFromANewNodeBindsNothing() throws Exception {
        String fresh = UUID.randomUUID().toString();
        assertForbidden(push(BOB, fresh, UUID.randomUUID().toString()), "not the pushing node");
        assertThat(hubRows("SELECT node_uuid FROM _shuttle_node_subjects")).doesNotContain(fresh);
        // the node is still free: alice may take it
        assertThat(push(ALICE, fresh, fresh).statusCode()).isEqualTo(200);
        assertThat(hubRows("SELECT subject FROM _shuttle_node_subjects WHERE node_uuid = '" + fresh + "'"))
                .containsExactly("alice");
    }

    @Test
    void onlyARelayMayPushOtherNodesChanges() throws Exception {
        String someoneElse = UUID.randomUUID().toString();
        long position = engine.feedPosition();
        assertForbidden(
                push(ALICE, aliceNode, someoneElse), "carries origin " + someoneElse + ", not the pushing node");
        assertThat(engine.feedPosition()).isEqualTo(position);

        String tierNode = UUID.randomUUID().toString();
        HttpResponse<String> relayed = push(TIER, tierNode, someoneElse);
        assertThat(relayed.statusCode()).as(relayed.body()).isEqualTo(200);
        assertThat(JSON.readTree(relayed.body()).get("applied").asInt()).isEqualTo(1);
    }

    @Test
    void theHubKeepsWhoWroteWhat() throws Exception {
        String bobNode = UUID.randomUUID().toString();
        assertThat(push(ALICE, aliceNode, aliceNode).statusCode()).isEqualTo(200);
        assertThat(push(BOB, bobNode, bobNode).statusCode()).isEqualTo(200);
        assertThat(push(ALICE, aliceNode, aliceNode).statusCode()).isEqualTo(200);
        assertThat(hubRows("""
                        SELECT s.subject || ':' || count(*) FROM _shuttle_feed f
                          JOIN _shuttle_nodes n ON n.id = coalesce(f.via, f.origin)
                          JOIN _shuttle_node_subjects s ON s.node_uuid = n.uuid
                          GROUP BY s.subject ORDER BY s.subject""")).containsExactly("alice:2", "bob:1");
    }

    private void assertForbidden(HttpResponse<String> r, String message) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
        JsonNode error = JSON.readTree(r.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("FORBIDDEN");
        assertThat(error.get("message").asText()).contains(message);
    }

    private List<String> hubRows(String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("hub.db"));
                var rs = c.createStatement().executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private HttpResponse<String> push(String token, String node, String origin) throws Exception {
        long key = ++id;
        String body = WireCodec.pushRequest(
                node,
                List.of(new Change(
                        "customer",
                        List.of(key),
                        Op.UPSERT,
                        Map.of("id", key, "name", "n" + key),
                        Hlc.pack(System.currentTimeMillis(), 0),
                        origin,
                        1,
                        0,
                        Map.of())));
        return post(token, "/v1/sync/push", body);
    }

    private HttpResponse<String> post(String token, String path, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(hub.url().resolve(path))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String token, String path, String node) throws Exception {
        return http.send(
                HttpRequest.newBuilder(hub.url().resolve(path))
                        .header("Authorization", "Bearer " + token)
                        .header("X-Shuttle-Node", node)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
