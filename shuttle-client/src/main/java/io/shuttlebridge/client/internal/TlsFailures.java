package io.shuttlebridge.client.internal;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import java.net.URI;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLHandshakeException;

/**
 * A TLS handshake refused over the hub's certificate, told in words: not trusted (and how to trust it), or not made
 * for the host in the URL. Such a failure does not pass with a retry.
 */
public final class TlsFailures {
    /** How a device is told to trust a hub's own CA. */
    public static final String HOW_TO_TRUST = "if the hub uses its own CA or a self-signed certificate, trust it with"
            + " --ca-cert PEM (or SHUTTLE_CA_CERT; HttpTransport.Builder.trustCertificates in code)";

    private TlsFailures() {}

    /** The failure as a {@link ErrorCode#TRANSPORT} error when it is about the certificate, else null. */
    public static ShuttleException certificate(SSLHandshakeException e, URI uri) {
        Throwable untrusted = find(e, CertPathBuilderException.class, CertPathValidatorException.class);
        if (untrusted != null) {
            return new ShuttleException(
                    ErrorCode.TRANSPORT,
                    "the TLS certificate of the hub at " + origin(uri) + " is not trusted by this device ("
                            + reason(untrusted) + "); " + HOW_TO_TRUST,
                    e);
        }
        Throwable other = find(e, CertificateException.class);
        if (other != null) {
            return new ShuttleException(
                    ErrorCode.TRANSPORT,
                    "the TLS certificate of the hub at " + origin(uri) + " was refused: " + reason(other)
                            + "; the hub URL must use a host name or address the certificate names",
                    e);
        }
        return null;
    }

    private static String origin(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    /** The message of the deepest cause, which says what the checker found. */
    private static String reason(Throwable t) {
        Throwable deepest = t;
        while (deepest.getCause() != null && deepest.getCause() != deepest) {
            deepest = deepest.getCause();
        }
        String m = deepest.getMessage() != null ? deepest.getMessage() : t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }

    @SafeVarargs
    private static Throwable find(Throwable e, Class<? extends Throwable>... types) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            for (Class<? extends Throwable> type : types) {
                if (type.isInstance(t)) {
                    return t;
                }
            }
        }
        return null;
    }
}
