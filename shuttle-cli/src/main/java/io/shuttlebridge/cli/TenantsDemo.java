package io.shuttlebridge.cli;

import io.shuttlebridge.client.DeviceClone;
import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.server.HubServer;
import io.shuttlebridge.server.auth.JwtAuthenticator;
import io.shuttlebridge.server.auth.TokenIssuer;
import io.shuttlebridge.server.internal.NodeBindings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;

/**
 * {@code shuttle demo --tenants}: one hub that takes JWTs, two users with their own tokens and
 * devices, and what the hub refuses (DESIGN §8).
 */
final class TenantsDemo {
    private final PrintWriter out;
    private final Path dir;
    private int step;

    TenantsDemo(PrintWriter out, Path dir) {
        this.out = out;
        this.dir = dir;
    }

    boolean run() throws Exception {
        Path hubFile = dir.resolve("hub.db");
        DemoCommand.exec(
                hubFile,
                "CREATE TABLE visits (id INTEGER PRIMARY KEY, clinic TEXT NOT NULL, patient TEXT NOT NULL, note TEXT)",
                "INSERT INTO visits VALUES (1, 'north', 'P-1001', 'first visit')");
        byte[] secret = new byte[48];
        new SecureRandom().nextBytes(secret);
        TokenIssuer issuer = TokenIssuer.hs256(secret);
        try (ShuttleDatabase hubDb = ShuttleDatabase.sqlite(hubFile)) {
            Capture.enable(hubDb);
            HubServer hub = HubServer.builder(SyncEngine.open(hubDb))
                    .host("127.0.0.1")
                    .port(0)
                    .authenticator(JwtAuthenticator.hs256(secret).build())
                    .start();
            try {
                say("A hub that takes HS256 JWTs listens on " + hub.url() + "; every call but /health needs one.");
                String alice = issuer.issue("alice", Map.of("clinic", "north"), Duration.ofHours(1), null, null);
                String bob = issuer.issue("bob", Map.of("clinic", "south"), Duration.ofHours(1), null, null);
                say("Two users get their own tokens (shuttle token issue does the same from the command line):");
                out.printf("   alice: %s...%n   bob:   %s...%n", alice.substring(0, 36), bob.substring(0, 36));

                say("Each clones a device with their token; the hub binds each device's node to its user.");
                Path aliceFile = dir.resolve("alice.db");
                Path bobFile = dir.resolve("bob.db");
                try (ShuttleDatabase aliceDb = ShuttleDatabase.sqlite(aliceFile);
                        ShuttleDatabase bobDb = ShuttleDatabase.sqlite(bobFile)) {
                    HttpTransport asAlice =
                            HttpTransport.builder(hub.url()).token(alice).build();
                    HttpTransport asBob =
                            HttpTransport.builder(hub.url()).token(bob).build();
                    DeviceClone.run(aliceDb, asAlice, ProgressListener.NONE);
                    DeviceClone.run(bobDb, asBob, ProgressListener.NONE);
                    SyncEngine a = SyncEngine.open(aliceDb);
                    SyncEngine b = SyncEngine.open(bobDb);

                    say("Both write offline with plain SQL, then sync.");
                    DemoCommand.exec(aliceFile, "INSERT INTO visits VALUES (2, 'north', 'P-1002', 'by alice')");
                    DemoCommand.exec(bobFile, "INSERT INTO visits VALUES (3, 'south', 'P-2001', 'by bob')");
                    a.pullThenPush(asAlice);
                    b.pullThenPush(asBob);
                    a.pullThenPush(asAlice);

                    say("Bob's token on Alice's device: the hub refuses, because that node is Alice's.");
                    DemoCommand.exec(aliceFile, "UPDATE visits SET note = 'edited on alice''s device' WHERE id = 2");
                    refused(() -> a.pullThenPush(asBob));
                    say("A forged token (Alice's with its signature altered) is refused before anything else:");
                    refused(() -> a.pullThenPush(HttpTransport.builder(hub.url())
                            .token(alice.substring(0, alice.length() - 2) + (alice.endsWith("A") ? "BB" : "AA"))
                            .build()));
                    a.pullThenPush(asAlice); // with her own token the edit goes through
                    b.pullThenPush(asBob);

                    say("The hub knows who wrote what (shuttle status --db hub.db shows the same):");
                    for (NodeBindings.Writer w : NodeBindings.writers(hubDb)) {
                        out.printf(
                                "   %-6s %d device%s, last writer of %d row%s%n",
                                w.subject(), w.nodes(), w.nodes() == 1 ? "" : "s", w.rows(), w.rows() == 1 ? "" : "s");
                    }
                    say(
                            "Every replica holds the same rows (sync rules, DESIGN §9, will give each clinic only its own):");
                    String all = DemoCommand.table(hubFile, "SELECT id, clinic, patient, note FROM visits ORDER BY id");
                    out.print(all);
                    boolean converged = all.equals(DemoCommand.table(
                                    aliceFile, "SELECT id, clinic, patient, note FROM visits ORDER BY id"))
                            && all.equals(DemoCommand.table(
                                    bobFile, "SELECT id, clinic, patient, note FROM visits ORDER BY id"));
                    out.println(
                            converged
                                    ? "converged: hub, alice's and bob's devices hold the same rows"
                                    : "NOT converged");
                    return converged;
                }
            } finally {
                hub.close();
            }
        }
    }

    private void refused(Runnable call) {
        try {
            call.run();
            throw new IllegalStateException("the hub accepted a call it must refuse");
        } catch (ShuttleException e) {
            out.printf("   refused: %s%n", e.getMessage());
        }
    }

    private void say(String sentence) {
        out.printf("%n%d. %s%n", ++step, sentence);
        out.flush();
    }
}
