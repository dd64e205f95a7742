package io.shuttlebridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.cli.CliBasicsTest.Run;
import io.shuttlebridge.core.TestCertificates;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve --tls-cert/--tls-key} and {@code --ca-cert} refuse what cannot work with a usage error, before listening. */
class TlsOptionsTest {
    @TempDir
    Path dir;

    @Test
    void aCertificateWithoutItsKeyOrTheOtherWayRoundIsAUsageError() throws Exception {
        Path hub = hubDatabase();
        TestCertificates.HubFiles tls = TestCertificates.hub(dir);

        Run certOnly = CliBasicsTest.run(
                "serve", "--db", hub.toString(), "--tls-cert", tls.cert().toString());
        Run keyOnly = CliBasicsTest.run(
                "serve", "--db", hub.toString(), "--tls-key", tls.key().toString());

        assertThat(certOnly.code()).isEqualTo(2);
        assertThat(certOnly.err().strip().lines()).hasSize(1);
        assertThat(certOnly.err()).contains("--tls-key");
        assertThat(keyOnly.code()).isEqualTo(2);
        assertThat(keyOnly.err()).contains("--tls-cert");
    }

    @Test
    void filesThatCannotServeAreNamed() throws Exception {
        Path hub = hubDatabase();
        TestCertificates.HubFiles tls = TestCertificates.hub(dir);
        Path missing = dir.resolve("missing.pem");

        Run noCert = serve(hub, missing, tls.key());
        Run swapped = serve(hub, tls.key(), tls.cert());

        assertThat(noCert.code()).isEqualTo(2);
        assertThat(noCert.err()).isEqualTo("shuttle: the TLS certificate file " + missing + " does not exist\n");
        assertThat(swapped.code()).isEqualTo(2);
        assertThat(swapped.err())
                .startsWith("shuttle: the TLS certificate file " + tls.key() + " holds no certificate");
    }

    @Test
    void aMissingCaCertificateIsNamed() {
        Path missing = dir.resolve("ca.pem");

        Run clone = CliBasicsTest.run(
                "clone",
                "--hub",
                "https://127.0.0.1:9",
                "--db",
                dir.resolve("d.db").toString(),
                "--ca-cert",
                missing.toString());

        assertThat(clone.code()).isEqualTo(2);
        assertThat(clone.err()).isEqualTo("shuttle: the CA certificate file " + missing + " does not exist\n");
    }

    private static Run serve(Path hub, Path cert, Path key) {
        return CliBasicsTest.run(
                "serve",
                "--db",
                hub.toString(),
                "--port",
                "0",
                "--host",
                "127.0.0.1",
                "--tls-cert",
                cert.toString(),
                "--tls-key",
                key.toString());
    }

    private Path hubDatabase() throws Exception {
        Path hub = dir.resolve("hub.db");
        ShuttleJar.sql(hub, "CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)");
        assertThat(CliBasicsTest.run("init", "--db", hub.toString()).code()).isZero();
        return hub;
    }
}
