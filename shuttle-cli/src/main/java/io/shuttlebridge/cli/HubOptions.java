package io.shuttlebridge.cli;

import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --hub}, {@code --token} and {@code --ca-cert}, shared by the commands that talk to a hub. */
public final class HubOptions {
    @Option(names = "--hub", paramLabel = "URL", description = "The hub's base URL, e.g. http://hub.local:7070.")
    public String hub;

    @Option(names = "--token", paramLabel = "TOKEN", description = "Bearer token of the hub (default: $SHUTTLE_TOKEN).")
    public String token;

    @Option(
            names = "--ca-cert",
            paramLabel = "PEM",
            description = "Trust an https:// hub whose certificate this CA (or self-signed certificate) signed, instead"
                    + " of the JVM's trusted CAs (default: $SHUTTLE_CA_CERT).")
    public Path caCert;

    /** The transport to the given hub, or to {@code fallback} (the one the device was cloned from) when none is given. */
    public HttpTransport transport(String fallback) {
        String url = hub != null ? hub : fallback;
        if (url == null) {
            throw new ShuttleException(ErrorCode.INVALID_ARGUMENT, "say which hub: --hub http://host:port");
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new ShuttleException(ErrorCode.INVALID_ARGUMENT, "--hub is not a URL: " + url, e);
        }
        HttpTransport.Builder transport =
                HttpTransport.builder(uri).token(token != null ? token : System.getenv("SHUTTLE_TOKEN"));
        String ca = caCert != null ? caCert.toString() : System.getenv("SHUTTLE_CA_CERT");
        if (ca != null && !ca.isBlank()) {
            transport.trustCertificates(Path.of(ca));
        }
        return transport.build();
    }
}
