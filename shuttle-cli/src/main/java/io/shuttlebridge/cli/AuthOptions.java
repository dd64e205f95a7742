package io.shuttlebridge.cli;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.server.auth.Authenticator;
import io.shuttlebridge.server.auth.JwtAuthenticator;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How {@code shuttle serve} tells who is calling (DESIGN §8): one shared token, HS256 JWTs, or JWTs against a JWK set. */
public final class AuthOptions {
    @Option(
            names = "--token",
            paramLabel = "TOKEN",
            description = "One bearer token every device sends: a single trusted team (default: $SHUTTLE_TOKEN).")
    String token;

    @Option(
            names = "--jwt-secret-file",
            paramLabel = "F",
            description = "Accept HS256 JWTs signed with the secret in F (at least 32 bytes).")
    Path jwtSecretFile;

    @Option(
            names = "--jwks",
            paramLabel = "FILE_OR_URL",
            description = "Accept RS256/ES256 JWTs checked against this JWK set (a URL is cached and refreshed).")
    String jwks;

    @Option(names = "--issuer", paramLabel = "I", description = "JWTs must carry this iss.")
    String issuer;

    @Option(names = "--audience", paramLabel = "A", description = "JWTs must carry this aud.")
    String audience;

    /** The authenticator the options describe; with none of them, an open hub unless $SHUTTLE_TOKEN is set. */
    Authenticator authenticator() {
        int modes = (token != null ? 1 : 0) + (jwtSecretFile != null ? 1 : 0) + (jwks != null ? 1 : 0);
        if (modes > 1) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT, "choose one of --token, --jwt-secret-file and --jwks");
        }
        if ((issuer != null || audience != null) && jwtSecretFile == null && jwks == null) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT,
                    "--issuer and --audience apply to JWTs: add --jwt-secret-file or --jwks");
        }
        if (jwtSecretFile != null) {
            return JwtAuthenticator.hs256(jwtSecretFile)
                    .issuer(issuer)
                    .audience(audience)
                    .build();
        }
        if (jwks != null) {
            return JwtAuthenticator.jwks(jwks).issuer(issuer).audience(audience).build();
        }
        String shared = token != null ? token : System.getenv("SHUTTLE_TOKEN");
        return shared == null || shared.isBlank() ? Authenticator.open() : Authenticator.sharedToken(shared);
    }

    /** Whether callers are told apart by JWTs (each with its subject and claims). */
    boolean jwt() {
        return jwtSecretFile != null || jwks != null;
    }

    /** A line for the start-up banner: how callers are told apart. */
    String describe() {
        if (jwtSecretFile != null) {
            return "HS256 JWTs (secret " + jwtSecretFile + ")";
        }
        if (jwks != null) {
            return "RS256/ES256 JWTs (keys " + jwks + ")";
        }
        String shared = token != null ? token : System.getenv("SHUTTLE_TOKEN");
        return shared == null || shared.isBlank() ? "none (open hub)" : "one shared token";
    }
}
