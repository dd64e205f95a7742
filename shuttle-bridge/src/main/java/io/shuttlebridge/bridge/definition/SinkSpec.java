package io.shuttlebridge.bridge.definition;

import java.net.URI;

/**
 * An HTTP endpoint that receives each committed chunk of changes as JSON, after the target database.
 *
 * @param url where chunks are POSTed
 * @param token bearer token, or null
 */
public record SinkSpec(URI url, String token) {
    @Override
    public String toString() {
        return "SinkSpec[url=" + url + ", token=" + (token == null ? "none" : "***") + "]";
    }
}
