package io.shuttlebridge.cli;

import picocli.CommandLine;

/** A command that only groups subcommands: run on its own, it is a usage error naming them. */
public abstract class ParentCommand implements Runnable {
    @CommandLine.Spec
    protected CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(),
                "Missing subcommand: one of "
                        + String.join(
                                ", ",
                                spec.subcommands().keySet().stream()
                                        .filter(n -> !n.equals("help"))
                                        .toList()));
    }
}
