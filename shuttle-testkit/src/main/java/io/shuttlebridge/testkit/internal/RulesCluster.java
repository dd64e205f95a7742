package io.shuttlebridge.testkit.internal;

import io.shuttlebridge.client.Backoff;
import io.shuttlebridge.client.DeviceClone;
import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.capture.CaptureOptions;
import io.shuttlebridge.core.id.MillisClock;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.sync.EngineAccess;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.core.sync.SyncReport;
import io.shuttlebridge.core.sync.Transport;
import io.shuttlebridge.server.HubServer;
import io.shuttlebridge.server.auth.JwtAuthenticator;
import io.shuttlebridge.server.auth.TokenIssuer;
import io.shuttlebridge.server.rules.SyncRules;
import io.shuttlebridge.testkit.TestSchema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A hub that enforces sync rules, served over HTTP with JWTs, and devices cloned from it, each
 * signed in as one of a few subjects ({@code k1}, {@code k2}, ...: the text keys the workload draws,
 * so random membership rows name them). Every claim the rules declare besides {@code sub} carries
 * the subject's name too. Devices hold only what their subject may read, as a user's would.
 */
public final class RulesCluster implements AutoCloseable {
    private static final byte[] SECRET =
            "the testkit's HS256 secret, longer than thirty-two bytes".getBytes(StandardCharsets.UTF_8);

    private final SyncRules rules;
    private final HubSite site;
    private final Node hub;
    private final HubServer server;
    private final List<Node> devices = new ArrayList<>();
    private final List<String> subjects = new ArrayList<>();
    private final List<Transport> transports = new ArrayList<>();
    private final List<String> tables;

    /**
     * @param subjects how many subjects the {@code devices} devices are spread over (device i is
     *     subject {@code k(i mod subjects + 1)})
     */
    public RulesCluster(
            Path dir,
            TestSchema schema,
            CaptureOptions capture,
            SyncRules rules,
            int devices,
            int subjects,
            SyncEngine.ApplyListener listener,
            HubSite site) {
        this.rules = rules;
        this.site = site;
        this.tables = schema.tables();
        Node.Setup setup = new Node.Setup(
                Map.of(),
                listener,
                MillisClock.system(),
                ShuttleDatabase.ConnectionSetup.NONE,
                java.util.function.UnaryOperator.identity());
        Node made = null;
        HubServer started = null;
        try {
            String url = ShuttleDatabase.toJdbcUrl(site.database(dir));
            ShuttleDatabase db = ShuttleDatabase.open(url, new Properties(), ShuttleDatabase.ConnectionSetup.NONE);
            made = new Node("hub", url, db, setup);
            Cluster.createTables(db, schema);
            Capture.enable(db, capture, ProgressListener.NONE);
            started = HubServer.builder(made.engine())
                    .host("127.0.0.1")
                    .port(0)
                    .authenticator(JwtAuthenticator.hs256(SECRET).build())
                    .rules(rules)
                    .shutdownTimeout(Duration.ofSeconds(5))
                    .start();
            for (int i = 0; i < devices; i++) {
                String subject = "k" + (i % subjects + 1);
                HttpTransport transport = HttpTransport.builder(started.url())
                        .token(token(subject))
                        .requestTimeout(Duration.ofSeconds(60))
                        .backoff(Backoff.NONE)
                        .build();
                String file = ShuttleDatabase.toJdbcUrl(
                        dir.resolve("device" + i + ".db").toString());
                ShuttleDatabase device =
                        ShuttleDatabase.open(file, new Properties(), ShuttleDatabase.ConnectionSetup.NONE);
                this.devices.add(new Node("device" + i, file, device, setup));
                DeviceClone.run(device, transport, ProgressListener.NONE);
                this.subjects.add(subject);
                this.transports.add(transport);
            }
        } catch (RuntimeException | Error e) {
            if (started != null) {
                started.close();
            }
            this.devices.forEach(Node::close);
            if (made != null) {
                made.close();
            }
            site.close();
            throw e;
        }
        this.hub = made;
        this.server = started;
    }

    private String token(String subject) {
        Map<String, Object> claims = new LinkedHashMap<>();
        for (String claim : rules.claims()) {
            if (!claim.equals("sub")) {
                claims.put(claim, subject);
            }
        }
        return TokenIssuer.hs256(SECRET).issue(subject, claims, Duration.ofHours(12), null, null);
    }

    public SyncRules rules() {
        return rules;
    }

    public Node hub() {
        return hub;
    }

    public List<Node> devices() {
        return List.copyOf(devices);
    }

    public Node device(int i) {
        return devices.get(i);
    }

    /** The subject device {@code i} signs in as. */
    public String subject(int i) {
        return subjects.get(i);
    }

    /** The claims of device {@code i}'s subject, as the hub reads them from its token. */
    public Map<String, Object> claims(int i) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", subjects.get(i));
        for (String claim : rules.claims()) {
            claims.put(claim, subjects.get(i));
        }
        return claims;
    }

    /** How device {@code i} reaches the hub: over HTTP, with its subject's token. */
    public Transport transport(int i) {
        return transports.get(i);
    }

    /** The hub's tables, in the schema's order. */
    public List<String> tables() {
        return tables;
    }

    /** The tables device {@code i} syncs (those its subject may read), in the schema's order. */
    public List<String> deviceTables(int i) {
        List<String> names = EngineAccess.context(devices.get(i).engine()).schema().tables().stream()
                .map(SyncedTable::name)
                .toList();
        return tables.stream().filter(names::contains).toList();
    }

    public SyncReport sync(int i, Transport via, int pageSize) {
        return devices.get(i).engine(pageSize).pullThenPush(via);
    }

    /** The hub, then every device. */
    public List<Node> all() {
        List<Node> out = new ArrayList<>();
        out.add(hub);
        out.addAll(devices);
        return out;
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            try {
                devices.forEach(Node::close);
                hub.close();
            } finally {
                site.close();
            }
        }
    }
}
