package io.shuttlebridge.cli;

import io.shuttlebridge.server.auth.TokenIssuer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code shuttle token issue}: HS256 tokens for development, demos and tests (DESIGN §7, §8). */
@Command(
        name = "token",
        mixinStandardHelpOptions = true,
        description = "Tokens for a hub served with --jwt-secret-file (development, demos and tests).",
        subcommands = {TokenCommand.Issue.class})
public final class TokenCommand extends ParentCommand {

    @Command(
            name = "issue",
            mixinStandardHelpOptions = true,
            description = {
                "Print a signed HS256 token for subject S. Production tokens come from your identity provider.",
                "Example: shuttle token issue --secret-file hub.secret --sub alice --claim tenant=clinic-1 --ttl 8h"
            })
    static final class Issue implements Callable<Integer> {
        @Option(
                names = "--secret-file",
                required = true,
                paramLabel = "F",
                description = "The hub's HS256 secret (the file given to serve --jwt-secret-file).")
        Path secretFile;

        @Option(names = "--sub", required = true, paramLabel = "S", description = "The subject: a user or a service.")
        String sub;

        @Option(
                names = "--claim",
                paramLabel = "k=v",
                description = {
                    "A claim, repeatable. v is a string, a number, true/false, or a list in brackets:"
                            + " --claim roles=[relay] --claim projects=[1,2]"
                })
        List<String> claims = new ArrayList<>();

        @Option(
                names = "--ttl",
                paramLabel = "DURATION",
                defaultValue = "1h",
                converter = DurationConverter.class,
                description = "How long the token is valid: 90s, 15m, 1h, 7d (default: ${DEFAULT-VALUE}).")
        Duration ttl;

        @Option(names = "--issuer", paramLabel = "I", description = "The iss claim.")
        String issuer;

        @Option(names = "--audience", paramLabel = "A", description = "The aud claim.")
        String audience;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Map<String, Object> values = ClaimValue.claims(claims, spec);
            spec.commandLine()
                    .getOut()
                    .println(TokenIssuer.hs256(secretFile).issue(sub, values, ttl, issuer, audience));
            return 0;
        }
    }
}
