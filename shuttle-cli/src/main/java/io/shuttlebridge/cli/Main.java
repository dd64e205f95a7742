package io.shuttlebridge.cli;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code shuttle} command. Exit codes: 0 ok, 1 failure, 2 usage error. */
@Command(
        name = "shuttle",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Local-first sync for SQLite and PostgreSQL, and batch ingestion from external systems.",
        subcommands = {CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: try 'shuttle --help'");
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line and returns its exit code; used by tests without spawning a JVM. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = commandLine();
        cli.setOut(out);
        cli.setErr(err);
        return cli.execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        Commands.register(cli);
        cli.setExecutionExceptionHandler(Main::onFailure);
        cli.setParameterExceptionHandler(Main::onUsageError);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        return cli;
    }

    private static int onUsageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        String name = cmd.getCommandSpec().qualifiedName();
        cmd.getErr().println("shuttle: " + e.getMessage() + " (see '" + name + " --help')");
        cmd.getErr().flush();
        return EXIT_USAGE;
    }

    private static int onFailure(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        String message;
        if (e instanceof ShuttleException se && se.code() == ErrorCode.INVALID_ARGUMENT) {
            cmd.getErr().println("shuttle: " + oneLine(se.getMessage()));
            cmd.getErr().flush();
            return EXIT_USAGE;
        } else if (e instanceof ShuttleException se) {
            message = se.getMessage();
        } else if (e instanceof IllegalArgumentException) {
            cmd.getErr().println("shuttle: " + e.getMessage());
            cmd.getErr().flush();
            return EXIT_USAGE;
        } else {
            message = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        cmd.getErr().println("shuttle: " + oneLine(message));
        if (System.getenv("SHUTTLE_DEBUG") != null) {
            e.printStackTrace(cmd.getErr());
        }
        cmd.getErr().flush();
        return EXIT_FAILURE;
    }

    static String oneLine(String message) {
        return message == null
                ? "unexpected error"
                : message.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    /** Reads the version written into the jar at build time. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws Exception {
            Properties p = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("/shuttle-version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {
                "shuttle " + p.getProperty("version", "unknown"),
                "JVM " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
            };
        }
    }
}
