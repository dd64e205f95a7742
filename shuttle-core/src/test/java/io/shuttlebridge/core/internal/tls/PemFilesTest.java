package io.shuttlebridge.core.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.TestCertificates;
import io.shuttlebridge.core.TestCertificates.KeyForm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** PEM certificates and private keys in the forms OpenSSL writes, and files that are not what they should be. */
class PemFilesTest {
    @TempDir
    Path dir;

    @Test
    void readsAChainInFileOrder() {
        TestCertificates.Issued ca = TestCertificates.ca("a CA", TestCertificates.keyPair("EC"));
        TestCertificates.Issued hub = TestCertificates.server(ca, TestCertificates.keyPair("EC"), "localhost");
        Path file = TestCertificates.writeCertificates(dir.resolve("chain.pem"), hub.certificate(), ca.certificate());

        List<X509Certificate> chain = PemCertificates.read(file, "the TLS certificate");

        assertThat(chain).containsExactly(hub.certificate(), ca.certificate());
    }

    @ParameterizedTest
    @CsvSource({"EC, PKCS8", "EC, TRADITIONAL", "RSA, PKCS8", "RSA, TRADITIONAL", "Ed25519, PKCS8"})
    void readsEachKeyForm(String algorithm, KeyForm form) throws Exception {
        KeyPair keys = TestCertificates.keyPair(algorithm);
        Path file = TestCertificates.writeKey(dir.resolve("key.pem"), keys.getPrivate(), form);
        String header = Files.readString(file).lines().findFirst().orElseThrow();

        PrivateKey key = PemPrivateKey.read(file, "the TLS private key");

        assertThat(header)
                .isEqualTo(
                        form == KeyForm.PKCS8
                                ? "-----BEGIN PRIVATE KEY-----"
                                : "-----BEGIN " + algorithm + " PRIVATE KEY-----");
        assertThat(signsFor(key, keys))
                .as("the key read signs for the original public key")
                .isTrue();
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("nope.pem");

        assertThat(invalid(() -> PemCertificates.read(missing, "the TLS certificate")))
                .isEqualTo("the TLS certificate file " + missing + " does not exist");
    }

    @Test
    void aFileThatIsNotPemIsNamed() throws Exception {
        Path der = Files.write(dir.resolve("cert.der"), new byte[] {0x30, (byte) 0x82, 0x01, 0x0a, 0x02});

        assertThat(invalid(() -> PemCertificates.read(der, "the CA certificate")))
                .isEqualTo(
                        "the CA certificate file " + der + " is not a PEM file: it has no '-----BEGIN ...-----' block");
    }

    @Test
    void aKeyWhereACertificateShouldBeAndTheOtherWayRound() {
        KeyPair keys = TestCertificates.keyPair("EC");
        Path key = TestCertificates.writeKey(dir.resolve("key.pem"), keys.getPrivate(), KeyForm.PKCS8);
        Path cert = TestCertificates.writeCertificates(
                dir.resolve("cert.pem"), TestCertificates.ca("x", keys).certificate());

        assertThat(invalid(() -> PemCertificates.read(key, "the TLS certificate")))
                .contains(key.toString())
                .contains("holds no certificate")
                .endsWith("only PRIVATE KEY");
        assertThat(invalid(() -> PemPrivateKey.read(cert, "the TLS private key")))
                .contains(cert.toString())
                .contains("holds no private key")
                .endsWith("only CERTIFICATE");
    }

    @Test
    void encryptedKeysAreRefusedWithHowToDecryptThem() throws Exception {
        Path pkcs8 = Files.writeString(
                dir.resolve("enc8.pem"),
                "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIBvTBXBgkqhkiG9w0BBQ0wSjAp\n-----END ENCRYPTED PRIVATE KEY-----\n");
        Path legacy = Files.writeString(
                dir.resolve("enc1.pem"),
                "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\n"
                        + "MIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\n");

        for (Path file : List.of(pkcs8, legacy)) {
            assertThat(invalid(() -> PemPrivateKey.read(file, "the TLS private key")))
                    .contains(file.toString())
                    .contains("holds an encrypted private key")
                    .contains("openssl pkey");
        }
    }

    @Test
    void blocksThatDoNotDecodeAreNamed() throws Exception {
        String junk = Base64.getMimeEncoder().encodeToString("not DER at all".getBytes());
        Path cert = Files.writeString(
                dir.resolve("junk-cert.pem"), "-----BEGIN CERTIFICATE-----\n" + junk + "\n-----END CERTIFICATE-----\n");
        Path key = Files.writeString(
                dir.resolve("junk-key.pem"), "-----BEGIN PRIVATE KEY-----\n" + junk + "\n-----END PRIVATE KEY-----\n");
        Path sec1 = Files.writeString(
                dir.resolve("junk-ec.pem"),
                "-----BEGIN EC PRIVATE KEY-----\n" + junk + "\n-----END EC PRIVATE KEY-----\n");

        assertThat(invalid(() -> PemCertificates.read(cert, "the TLS certificate")))
                .contains(cert.toString())
                .contains("is not an X.509 certificate");
        assertThat(invalid(() -> PemPrivateKey.read(key, "the TLS private key")))
                .contains(key.toString())
                .contains("not an RSA, EC or EdDSA private key");
        assertThat(invalid(() -> PemPrivateKey.read(sec1, "the TLS private key")))
                .contains(sec1.toString())
                .contains("EC PRIVATE KEY");
    }

    private static String invalid(Runnable read) {
        ShuttleException e = catchThrowableOfType(ShuttleException.class, read::run);
        assertThat(e).as("refused").isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        return e.getMessage();
    }

    private static boolean signsFor(PrivateKey key, KeyPair original) throws Exception {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> "EdDSA";
        };
        byte[] data = "shuttle".getBytes();
        Signature s = Signature.getInstance(algorithm);
        s.initSign(key);
        s.update(data);
        byte[] signature = s.sign();
        Signature v = Signature.getInstance(algorithm);
        v.initVerify(original.getPublic());
        v.update(data);
        return v.verify(signature);
    }
}
