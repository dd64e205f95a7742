package io.shuttlebridge.server.internal;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.internal.tls.PemCertificates;
import io.shuttlebridge.core.internal.tls.PemPrivateKey;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * What the hub shows in a TLS handshake: its certificate chain and the private key of the first certificate, read
 * from PEM files and checked to belong together.
 */
public record TlsIdentity(List<X509Certificate> chain, PrivateKey key) {
    public TlsIdentity {
        chain = List.copyOf(chain);
    }

    /** Reads and checks the files; {@link ErrorCode#INVALID_ARGUMENT} naming the file and the problem. */
    public static TlsIdentity load(Path certPem, Path keyPem) {
        List<X509Certificate> chain = PemCertificates.read(certPem, "the TLS certificate");
        PrivateKey key = PemPrivateKey.read(keyPem, "the TLS private key");
        if (!belongTogether(key, chain.getFirst().getPublicKey())) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT,
                    "the TLS private key in " + keyPem + " does not match the certificate in " + certPem + " ("
                            + chain.getFirst().getSubjectX500Principal().getName()
                            + "); the certificate file must start with the hub's own certificate, then its CA chain");
        }
        return new TlsIdentity(chain, key);
    }

    /** An in-memory key store holding the key and its chain under {@code password}. */
    public KeyStore keyStore(char[] password) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("hub", key, password, chain.toArray(Certificate[]::new));
            return ks;
        } catch (GeneralSecurityException | IOException e) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT, "the TLS key and certificate cannot be used together: " + e, e);
        }
    }

    /** A signature made with the private key verifies with the public key: they are one pair. */
    static boolean belongTogether(PrivateKey key, PublicKey pub) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
            default -> null;
        };
        if (algorithm == null) {
            // RSASSA-PSS and the like: the handshake itself tells
            return key.getAlgorithm().equals(pub.getAlgorithm());
        }
        try {
            byte[] data = new byte[32];
            new SecureRandom().nextBytes(data);
            Signature sign = Signature.getInstance(algorithm);
            sign.initSign(key);
            sign.update(data);
            byte[] signature = sign.sign();
            Signature verify = Signature.getInstance(algorithm);
            verify.initVerify(pub);
            verify.update(data);
            return verify.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // a key of another algorithm than the certificate's
        }
    }
}
