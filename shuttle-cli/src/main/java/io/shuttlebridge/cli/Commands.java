package io.shuttlebridge.cli;

import io.shuttlebridge.bench.BenchCommand;
import io.shuttlebridge.cli.bridge.BridgeCommand;
import picocli.CommandLine;

/** The one place where subcommands are attached to {@code shuttle}. */
final class Commands {
    private Commands() {}

    static void register(CommandLine root) {
        root.addSubcommand(new DemoCommand());
        root.addSubcommand(new InitCommand());
        root.addSubcommand(new ServeCommand());
        root.addSubcommand(new CloneCommand());
        root.addSubcommand(new SyncCommand());
        root.addSubcommand(new StatusCommand());
        root.addSubcommand(new ConflictsCommand());
        root.addSubcommand(new BundleCommand());
        root.addSubcommand(new NodeCommand());
        root.addSubcommand(new BackupCommand());
        root.addSubcommand(new TokenCommand());
        root.addSubcommand(new RulesCommand());
        root.addSubcommand(new SchemaCommand());
        root.addSubcommand(new BridgeCommand());
        root.addSubcommand(new SimulateCommand());
        root.addSubcommand(new BenchCommand());
    }
}
