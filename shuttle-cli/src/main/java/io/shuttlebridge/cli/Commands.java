package io.shuttlebridge.cli;

import picocli.CommandLine;

/** The one place where subcommands are attached to {@code shuttle}. */
final class Commands {
    private Commands() {}

    static void register(CommandLine root) {
        // subcommands are added here as they are built
        root.addSubcommand(new io.shuttlebridge.cli.bridge.BridgeCommand());
    }
}
