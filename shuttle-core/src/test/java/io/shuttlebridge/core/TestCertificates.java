package io.shuttlebridge.core;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * Certificates made at test time for the TLS tests: a CA of the test's own, hub certificates it signs for given host
 * names and addresses, and PEM files of them and their keys in the forms OpenSSL writes.
 */
public final class TestCertificates {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private TestCertificates() {}

    /** A certificate and its key pair. */
    public record Issued(X509Certificate certificate, KeyPair keys) {}

    /** The PEM files of a hub's TLS: the CA devices trust, the hub's certificate (then the CA), the hub's key. */
    public record HubFiles(Path ca, Path cert, Path key) {}

    /** How a private key is written: PKCS#8 ({@code PRIVATE KEY}) or the algorithm's own (PKCS#1, SEC1). */
    public enum KeyForm {
        PKCS8,
        TRADITIONAL
    }

    /** A new CA and a hub certificate for {@code localhost} and {@code 127.0.0.1}, written as PEM files in {@code dir}. */
    public static HubFiles hub(Path dir) {
        Issued ca = ca("Shuttle test CA", keyPair("EC"));
        Issued hub = server(ca, keyPair("EC"), "localhost", "127.0.0.1");
        return new HubFiles(
                writeCertificates(dir.resolve("ca.pem"), ca.certificate()),
                writeCertificates(dir.resolve("hub.pem"), hub.certificate(), ca.certificate()),
                writeKey(dir.resolve("hub-key.pem"), hub.keys().getPrivate(), KeyForm.PKCS8));
    }

    /** {@code EC} (P-256) or {@code RSA} (2048 bits). */
    public static KeyPair keyPair(String algorithm) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
            if (algorithm.equals("EC")) {
                g.initialize(new ECGenParameterSpec("secp256r1"));
            } else if (algorithm.equals("RSA")) {
                g.initialize(2048);
            }
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A self-signed CA certificate, valid from an hour ago for a day. */
    public static Issued ca(String name, KeyPair keys) {
        X500Name subject = new X500Name("CN=" + name);
        try {
            X509v3CertificateBuilder b = builder(subject, subject, keys)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            return new Issued(sign(b, keys.getPrivate()), keys);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A server certificate signed by {@code ca} naming each host (a DNS name, or an IP address). */
    public static Issued server(Issued ca, KeyPair keys, String... hosts) {
        GeneralName[] names = new GeneralName[hosts.length];
        for (int i = 0; i < hosts.length; i++) {
            names[i] = isAddress(hosts[i])
                    ? new GeneralName(GeneralName.iPAddress, hosts[i])
                    : new GeneralName(GeneralName.dNSName, hosts[i]);
        }
        X500Name issuer =
                X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
        try {
            X509v3CertificateBuilder b = builder(issuer, new X500Name("CN=" + hosts[0]), keys)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(
                            Extension.keyUsage,
                            true,
                            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                    .addExtension(
                            Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            return new Issued(sign(b, ca.keys().getPrivate()), keys);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The certificates as one PEM file, in order. */
    public static Path writeCertificates(Path file, X509Certificate... certificates) {
        return write(file, certificates);
    }

    /** The key as OpenSSL writes it: SEC1 keys with their curve, as {@code openssl ecparam -genkey} does. */
    public static Path writeKey(Path file, PrivateKey key, KeyForm form) {
        try {
            if (form == KeyForm.PKCS8) {
                return write(file, new JcaPKCS8Generator(key, null));
            }
            if (key instanceof ECPrivateKey ec) {
                PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
                var sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(
                        ec.getParams().getOrder().bitLength(),
                        ec.getS(),
                        info.getPrivateKeyAlgorithm().getParameters());
                return write(file, new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
            }
            return write(file, key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path write(Path file, Object... objects) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
            for (Object o : objects) {
                pem.writeObject(o);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return Files.writeString(file, text.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(
                issuer,
                BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(1))),
                subject,
                keys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey issuerKey) {
        String algorithm = issuerKey.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        try {
            return new JcaX509CertificateConverter()
                    .getCertificate(b.build(new JcaContentSignerBuilder(algorithm).build(issuerKey)));
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An IPv4 or IPv6 literal, told from its form alone. */
    private static boolean isAddress(String host) {
        return host.matches("[0-9.]+") || host.contains(":");
    }
}
