package io.shuttlebridge.core.internal.tls;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/** The X.509 certificates of a PEM file, in file order (a chain: the server's own certificate first). */
public final class PemCertificates {
    private PemCertificates() {}

    /** The {@code CERTIFICATE} blocks of the file; other blocks are left aside, a file without any is refused. */
    public static List<X509Certificate> read(Path path, String what) {
        return read(PemFile.read(path, what));
    }

    static List<X509Certificate> read(PemFile file) {
        List<PemFile.Block> blocks = file.ofType("CERTIFICATE");
        if (blocks.isEmpty()) {
            throw file.invalid("holds no certificate (a '-----BEGIN CERTIFICATE-----' block), only " + file.types());
        }
        CertificateFactory factory;
        try {
            factory = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("this JVM reads no X.509 certificates", e);
        }
        List<X509Certificate> out = new ArrayList<>();
        for (PemFile.Block b : blocks) {
            try {
                out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(b.der())));
            } catch (CertificateException | ClassCastException e) {
                throw file.invalid(
                        "has a CERTIFICATE block (number " + (out.size() + 1) + ") that is not an X.509 certificate: "
                                + e.getMessage(),
                        e);
            }
        }
        return List.copyOf(out);
    }
}
