package io.shuttlebridge.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.shuttlebridge.client.DeviceClone;
import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.client.LiveSync;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.TestCertificates;
import io.shuttlebridge.core.TestCertificates.HubFiles;
import io.shuttlebridge.core.TestCertificates.KeyForm;
import io.shuttlebridge.core.sync.SyncEngine;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hub over TLS: HTTPS and WSS on one port with a test CA, and devices that do not trust it told how to. */
class TlsIT {
    @TempDir
    Path dir;

    @Test
    void devicesCloneSyncAndStayLiveOverHttpsAndWss() throws Exception {
        HubFiles tls = TestCertificates.hub(dir);
        try (ShuttleDatabase hubDb = Fixtures.hubDatabase(dir);
                HubServer hub = tlsHub(SyncEngine.open(hubDb), tls.cert(), tls.key())) {
            assertThat(hub.url()).isEqualTo(URI.create("https://127.0.0.1:" + hub.port()));
            HttpTransport http = HttpTransport.builder(hub.url())
                    .token(Fixtures.TOKEN)
                    .trustCertificates(tls.ca())
                    .build();
            Path a = dir.resolve("a.db");
            Path b = dir.resolve("b.db");
            try (ShuttleDatabase da = ShuttleDatabase.sqlite(a);
                    ShuttleDatabase db = ShuttleDatabase.sqlite(b)) {
                String hubNode =
                        DeviceClone.run(da, http, ProgressListener.NONE).hubNode();
                DeviceClone.run(db, http, ProgressListener.NONE);
                assertThat(rows(b)).hasSize(2).isEqualTo(rows(dir.resolve("hub.db")));

                Fixtures.sql(a, "INSERT INTO customer VALUES (10, 'pushed over https', 1, NULL)");
                assertThat(SyncEngine.open(da).pullThenPush(http).pushed()).isEqualTo(1);
                assertThat(SyncEngine.open(db).pullThenPush(http).pulled()).isEqualTo(1);

                LiveSync.Settings fast =
                        new LiveSync.Settings(Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(30));
                try (LiveSync la = LiveSync.start(SyncEngine.open(da), http, hubNode, fast, LiveSync.Listener.NONE);
                        LiveSync lb =
                                LiveSync.start(SyncEngine.open(db), http, hubNode, fast, LiveSync.Listener.NONE)) {
                    // the hub registers a stream once the upgrade is answered: a moment after the device sees it open
                    await(() -> la.connected() && lb.connected() && hub.openStreams() == 2);
                    assertThat(hub.openStreams())
                            .as("devices on the wss:// stream")
                            .isEqualTo(2);
                    Fixtures.sql(a, "INSERT INTO customer VALUES (11, 'live over wss', 2, NULL)");
                    await(() -> rows(b).stream().anyMatch(r -> r.contains("live over wss")));
                }
                assertThat(rows(a)).isEqualTo(rows(b)).isEqualTo(rows(dir.resolve("hub.db")));
            }
        }
    }

    @Test
    void aDeviceThatDoesNotTrustTheHubIsToldHowToAndNothingIsRetriedOrWritten() throws Exception {
        HubFiles tls = TestCertificates.hub(dir);
        Path otherCa = TestCertificates.writeCertificates(
                dir.resolve("other-ca.pem"),
                TestCertificates.ca("another CA", TestCertificates.keyPair("EC"))
                        .certificate());
        try (ShuttleDatabase hubDb = Fixtures.hubDatabase(dir);
                HubServer hub = tlsHub(SyncEngine.open(hubDb), tls.cert(), tls.key())) {
            AtomicInteger retries = new AtomicInteger();
            List<HttpTransport> untrusting = List.of(
                    HttpTransport.builder(hub.url())
                            .token(Fixtures.TOKEN)
                            .sleeper(d -> retries.incrementAndGet())
                            .build(),
                    HttpTransport.builder(hub.url())
                            .token(Fixtures.TOKEN)
                            .trustCertificates(otherCa)
                            .sleeper(d -> retries.incrementAndGet())
                            .build());
            for (HttpTransport http : untrusting) {
                Path device = Files.createTempFile(dir, "device", ".db");
                ShuttleException e;
                try (ShuttleDatabase d = ShuttleDatabase.sqlite(device)) {
                    e = catchThrowableOfType(
                            ShuttleException.class, () -> DeviceClone.run(d, http, ProgressListener.NONE));
                }
                assertThat(e).isNotNull();
                assertThat(e.code()).isEqualTo(ErrorCode.TRANSPORT);
                assertThat(e.getMessage())
                        .startsWith(
                                "the TLS certificate of the hub at " + hub.url() + " is not trusted by this device (")
                        .contains("--ca-cert PEM")
                        .contains("trustCertificates");
                assertThat(Fixtures.rows(device, "sqlite_master")).isEmpty();
            }
            assertThat(retries).as("a certificate refused is not retried").hasValue(0);
            assertThat(Fixtures.rows(dir.resolve("hub.db"), "_shuttle_leases"))
                    .as("no lease given")
                    .isEmpty();
        }
    }

    @Test
    void aCertificateForAnotherHostIsRefusedNamingTheHost() throws Exception {
        TestCertificates.Issued ca = TestCertificates.ca("a CA", TestCertificates.keyPair("RSA"));
        TestCertificates.Issued named = TestCertificates.server(ca, TestCertificates.keyPair("RSA"), "hub.example");
        Path caFile = TestCertificates.writeCertificates(dir.resolve("ca.pem"), ca.certificate());
        Path cert = TestCertificates.writeCertificates(dir.resolve("hub.pem"), named.certificate());
        Path key = TestCertificates.writeKey(
                dir.resolve("hub-key.pem"), named.keys().getPrivate(), KeyForm.TRADITIONAL);
        try (ShuttleDatabase hubDb = Fixtures.hubDatabase(dir);
                HubServer hub = tlsHub(SyncEngine.open(hubDb), cert, key)) {
            HttpTransport http = HttpTransport.builder(hub.url())
                    .token(Fixtures.TOKEN)
                    .trustCertificates(caFile)
                    .build();

            ShuttleException e = catchThrowableOfType(ShuttleException.class, http::hubNode);

            assertThat(e.code()).isEqualTo(ErrorCode.TRANSPORT);
            assertThat(e.getMessage())
                    .startsWith("the TLS certificate of the hub at " + hub.url() + " was refused: ")
                    .contains("127.0.0.1")
                    .endsWith("the hub URL must use a host name or address the certificate names");
        }
    }

    @Test
    void filesThatCannotServeAreRefusedNamingTheFile() throws Exception {
        HubFiles tls = TestCertificates.hub(dir);
        Path strangerKey = TestCertificates.writeKey(
                dir.resolve("stranger-key.pem"), TestCertificates.keyPair("EC").getPrivate(), KeyForm.TRADITIONAL);
        Path rsaKey = TestCertificates.writeKey(
                dir.resolve("rsa-key.pem"), TestCertificates.keyPair("RSA").getPrivate(), KeyForm.PKCS8);
        Path missing = dir.resolve("missing.pem");
        try (ShuttleDatabase hubDb = Fixtures.hubDatabase(dir)) {
            HubServer.Builder builder = HubServer.builder(SyncEngine.open(hubDb));

            assertThat(refused(() -> builder.tls(missing, tls.key())))
                    .isEqualTo("the TLS certificate file " + missing + " does not exist");
            assertThat(refused(() -> builder.tls(tls.key(), tls.cert())))
                    .startsWith("the TLS certificate file " + tls.key() + " holds no certificate");
            for (Path key : List.of(strangerKey, rsaKey)) {
                assertThat(refused(() -> builder.tls(tls.cert(), key)))
                        .startsWith("the TLS private key in " + key + " does not match the certificate in " + tls.cert()
                                + " (CN=localhost)");
            }
        }
    }

    private static HubServer tlsHub(SyncEngine engine, Path cert, Path key) {
        return HubServer.builder(engine)
                .host("127.0.0.1")
                .port(0)
                .token(Fixtures.TOKEN)
                .watchEvery(Duration.ofMillis(50))
                .tls(cert, key)
                .start();
    }

    private static String refused(Runnable call) {
        ShuttleException e = catchThrowableOfType(ShuttleException.class, call::run);
        assertThat(e).as("refused").isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        return e.getMessage();
    }

    private List<String> rows(Path file) {
        try {
            return Fixtures.rows(file, "customer");
        } catch (SQLException e) {
            return List.of();
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 15 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
