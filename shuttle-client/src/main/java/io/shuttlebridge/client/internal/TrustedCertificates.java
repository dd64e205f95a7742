package io.shuttlebridge.client.internal;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.internal.tls.PemCertificates;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** A TLS context that trusts the certificates of a PEM file (a CA, or a hub's self-signed certificate) and no other. */
public final class TrustedCertificates {
    private TrustedCertificates() {}

    public static SSLContext sslContext(Path pem) {
        List<X509Certificate> certificates = PemCertificates.read(pem, "the CA certificate");
        try {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            for (int i = 0; i < certificates.size(); i++) {
                trusted.setCertificateEntry("ca-" + i, certificates.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT,
                    "the CA certificate file " + pem + " cannot be used to trust a hub: " + e.getMessage(),
                    e);
        }
    }
}
