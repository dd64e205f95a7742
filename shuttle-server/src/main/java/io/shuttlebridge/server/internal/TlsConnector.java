package io.shuttlebridge.server.internal;

import java.security.SecureRandom;
import java.util.Base64;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** The hub's one listening connector when it serves TLS: HTTPS, and WSS for the stream, on the same port. */
public final class TlsConnector {
    private TlsConnector() {}

    public static ServerConnector create(
            Server server, HttpConfiguration http, TlsIdentity identity, String host, int port) {
        byte[] secret = new byte[18];
        new SecureRandom().nextBytes(secret);
        // the key store lives in memory only: its password protects nothing, Jetty just needs one
        String password = Base64.getEncoder().encodeToString(secret);
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(identity.keyStore(password.toCharArray()));
        ssl.setKeyStorePassword(password);
        // the hub has one certificate: a request naming another host is the client's to refuse, not a 400 here
        http.addCustomizer(new SecureRequestCustomizer(false));
        ServerConnector connector =
                new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        return connector;
    }
}
