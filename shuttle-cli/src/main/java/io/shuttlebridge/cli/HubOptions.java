package io.shuttlebridge.cli;

import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import java.net.URI;
import picocli.CommandLine.Option;

/** {@code --hub} and {@code --token}, shared by the commands that talk to a hub. */
public final class HubOptions {
    @Option(names = "--hub", paramLabel = "URL", description = "The hub's base URL, e.g. http://hub.local:7070.")
    public String hub;

    @Option(names = "--token", paramLabel = "TOKEN", description = "Bearer token of the hub (default: $SHUTTLE_TOKEN).")
    public String token;

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
        return HttpTransport.builder(uri)
                .token(token != null ? token : System.getenv("SHUTTLE_TOKEN"))
                .build();
    }
}
