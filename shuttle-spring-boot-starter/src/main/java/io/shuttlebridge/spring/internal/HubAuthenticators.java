package io.shuttlebridge.spring.internal;

import io.shuttlebridge.server.auth.Authenticator;
import io.shuttlebridge.server.auth.JwtAuthenticator;
import io.shuttlebridge.spring.ShuttleProperties;
import java.nio.file.Path;

/** The hub's authenticator from {@code shuttle.hub.*}, for an application without a {@code JwtDecoder}. */
public final class HubAuthenticators {
    private HubAuthenticators() {}

    public static Authenticator fromProperties(ShuttleProperties.Hub hub) {
        ShuttleProperties.Jwt jwt = hub.getJwt();
        boolean jwks = jwt.getJwkSet() != null && !jwt.getJwkSet().isBlank();
        boolean hs256 =
                jwt.getHs256SecretFile() != null && !jwt.getHs256SecretFile().isBlank();
        boolean token = hub.getToken() != null && !hub.getToken().isBlank();
        int given = (jwks ? 1 : 0) + (hs256 ? 1 : 0) + (token ? 1 : 0);
        if (given > 1) {
            throw new IllegalStateException("give the hub one way to check tokens: shuttle.hub.jwt.jwk-set,"
                    + " shuttle.hub.jwt.hs256-secret-file or shuttle.hub.token, not several");
        }
        if (jwks || hs256) {
            JwtAuthenticator.Builder b = jwks
                    ? JwtAuthenticator.jwks(jwt.getJwkSet())
                    : JwtAuthenticator.hs256(Path.of(jwt.getHs256SecretFile()));
            if (jwt.getIssuer() != null) {
                b.issuer(jwt.getIssuer());
            }
            if (jwt.getAudience() != null) {
                b.audience(jwt.getAudience());
            }
            return b.build();
        }
        if (token) {
            return Authenticator.sharedToken(hub.getToken());
        }
        if (hub.isAllowAnonymous()) {
            return Authenticator.open();
        }
        throw new IllegalStateException("shuttle.mode=hub needs to know who may call it: a JwtDecoder bean (Spring"
                + " Security's resource server, spring.security.oauth2.resourceserver.jwt.*),"
                + " shuttle.hub.jwt.jwk-set or shuttle.hub.jwt.hs256-secret-file, shuttle.hub.token, or"
                + " shuttle.hub.allow-anonymous=true for a hub behind a gateway that checks");
    }
}
