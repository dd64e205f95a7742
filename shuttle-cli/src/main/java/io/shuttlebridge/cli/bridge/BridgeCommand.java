package io.shuttlebridge.cli.bridge;

import io.shuttlebridge.bridge.BatchOutcome;
import io.shuttlebridge.bridge.BatchReport;
import io.shuttlebridge.bridge.BridgeService;
import io.shuttlebridge.bridge.DeadLetter;
import io.shuttlebridge.bridge.RunOptions;
import io.shuttlebridge.bridge.ScheduleStatus;
import io.shuttlebridge.cli.ParentCommand;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code shuttle bridge run|status|dlq|schedule}. */
@Command(
        name = "bridge",
        mixinStandardHelpOptions = true,
        description = "Ingest from external systems (HTTP, JDBC, CSV).",
        subcommands = {
            BridgeCommand.Run.class,
            BridgeCommand.Status.class,
            BridgeCommand.Dlq.class,
            BridgeCommand.Schedule.class
        })
public final class BridgeCommand extends ParentCommand {

    static String line(BatchReport b) {
        var c = b.counts();
        return String.format(
                "batch %d %s %s: fetched %d, inserted %d, updated %d, unchanged %d, deleted %d, pending %d, resolved %d,"
                        + " dead-lettered %d, %.0f rows/s%s",
                b.id(),
                b.entity(),
                b.outcome(),
                c.fetched(),
                c.inserted(),
                c.updated(),
                c.unchanged(),
                c.deleted(),
                c.pending(),
                c.resolved(),
                c.deadLettered(),
                b.rowsPerSecond(),
                b.error() == null ? "" : " (" + b.error() + ")");
    }

    static String scheduleLine(ScheduleStatus s) {
        return String.format(
                "%s: window %s %s, every %s%s, %s until %s; pass %s%s; last batch %s",
                s.entity(),
                s.window(),
                s.zone(),
                s.every().replace("PT24H", "1d").replace("PT", "").toLowerCase(Locale.ROOT),
                s.rowsPerWindow() > 0 ? ", " + s.rowsPerWindow() + " rows per window" : "",
                s.inWindow() ? "open" : "closed",
                s.nextChange(),
                s.passOpen() ? "open (" + s.passRows() + " rows so far)" : "closed",
                s.lastCompleteAt() == null ? "" : ", last complete " + s.lastCompleteAt(),
                s.lastBatchId() == null ? "none" : s.lastBatchId() + " " + s.lastOutcome());
    }

    static void failIfFailed(List<BatchReport> reports) {
        for (BatchReport b : reports) {
            if (b.outcome() == BatchOutcome.FAILED) {
                throw new ShuttleException(
                        ErrorCode.INTERNAL, "batch " + b.id() + " of " + b.entity() + " failed: " + b.error());
            }
        }
    }

    @Command(
            name = "run",
            mixinStandardHelpOptions = true,
            description = "Run one batch of an entity (or of all entities).")
    static final class Run implements Runnable {
        @Mixin
        BridgeOptions o;

        @Spec
        CommandSpec spec;

        @Parameters(arity = "0..1", description = "entity (default: all, in definition order)")
        String entity;

        @Option(names = "--full", description = "read the whole source and reconcile deletes")
        boolean full;

        @Override
        public void run() {
            try (BridgeService b = o.open()) {
                if (System.console() != null) {
                    System.err.println("running " + (entity == null ? "all entities" : entity) + "...");
                }
                List<BatchReport> reports =
                        entity == null ? b.runAll() : List.of(b.run(entity, new RunOptions(full, 0, null, "manual")));
                o.print(
                        spec.commandLine().getOut(),
                        reports,
                        String.join(
                                "\n", reports.stream().map(BridgeCommand::line).toList()));
                failIfFailed(reports);
            }
        }
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description = "Where an entity stands, or the batch history.")
    static final class Status implements Runnable {
        @Mixin
        BridgeOptions o;

        @Spec
        CommandSpec spec;

        @Parameters(arity = "0..1", description = "entity (default: recent batches of all)")
        String entity;

        @Option(names = "--limit", defaultValue = "20")
        int limit;

        @Override
        public void run() {
            try (BridgeService b = o.open()) {
                if (entity == null) {
                    List<BatchReport> batches = b.batches(null, limit);
                    o.print(
                            spec.commandLine().getOut(),
                            batches,
                            String.join(
                                    "\n",
                                    batches.stream().map(BridgeCommand::line).toList()));
                } else {
                    var s = b.status(entity);
                    o.print(
                            spec.commandLine().getOut(),
                            s,
                            String.format(
                                    "%s -> %s: %d identities, high-water %s, pass %s (%d rows),"
                                            + " %d open dead letters, %d pending children",
                                    s.entity(),
                                    s.table(),
                                    s.stateRows(),
                                    s.highWater() == null ? "none" : s.highWater(),
                                    s.passOpen() ? "open" : "closed",
                                    s.passRows(),
                                    s.openDeadLetters(),
                                    s.pendingChildren()));
                }
            }
        }
    }

    @Command(name = "dlq", mixinStandardHelpOptions = true, description = "Dead letters: list, show, retry, discard.")
    static final class Dlq implements Runnable {
        @Mixin
        BridgeOptions o;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", description = "list | show | retry | discard")
        String action;

        @Parameters(index = "1..*", arity = "0..*", description = "dead-letter ids (show, retry, discard)")
        List<Long> ids = List.of();

        @Option(names = "--entity")
        String entity;

        @Option(names = "--status", description = "open, resolved or discarded")
        DeadLetter.Status status;

        @Option(names = "--limit", defaultValue = "50")
        int limit;

        @Override
        public void run() {
            var out = spec.commandLine().getOut();
            try (BridgeService b = o.open()) {
                switch (action) {
                    case "list" -> {
                        var letters = b.deadLetters(entity, status, limit);
                        o.print(
                                out,
                                letters,
                                String.join(
                                        "\n",
                                        letters.stream()
                                                .map(l -> l.id() + " " + l.entity() + " " + l.status() + " " + l.stage()
                                                        + " " + l.rule() + ": " + l.error() + " (attempts "
                                                        + l.attempts() + ")")
                                                .toList()));
                    }
                    case "show" -> {
                        requireIds();
                        var l = b.deadLetter(ids.get(0))
                                .orElseThrow(() ->
                                        new ShuttleException(ErrorCode.NOT_FOUND, "no dead letter " + ids.get(0)));
                        o.print(
                                out,
                                l,
                                String.join(
                                        "\n",
                                        "dead letter " + l.id() + " of " + l.entity() + " (" + l.status() + ", batch "
                                                + l.batchId() + ", attempts " + l.attempts() + ", last " + l.updatedAt()
                                                + ")",
                                        "  failed:     " + l.stage() + " " + l.rule() + ": " + l.error(),
                                        "  record key: " + l.recordKey(),
                                        "  raw:        " + l.raw(),
                                        "  normalized: " + l.normalized(),
                                        "  mapped:     " + l.mapped()));
                    }
                    case "retry" -> {
                        requireIds();
                        var r = b.retryDeadLetters(ids);
                        o.print(
                                out,
                                r,
                                "resolved " + r.resolved() + ", failed again " + r.failed() + ", not open "
                                        + r.notFound());
                    }
                    case "discard" -> {
                        requireIds();
                        var d = b.discardDeadLetters(ids);
                        o.print(out, d, "discarded " + d);
                    }
                    default ->
                        throw new IllegalArgumentException(
                                "unknown dlq action '" + action + "' (list, show, retry, discard)");
                }
            }
        }

        private void requireIds() {
            if (ids.isEmpty()) {
                throw new IllegalArgumentException("dlq " + action + " needs at least one dead-letter id");
            }
        }
    }

    @Command(
            name = "schedule",
            mixinStandardHelpOptions = true,
            description = "Schedules: list, trigger ENTITY, reset ENTITY.")
    static final class Schedule implements Runnable {
        @Mixin
        BridgeOptions o;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", description = "list | trigger | reset")
        String action;

        @Parameters(index = "1", arity = "0..1", description = "entity")
        String entity;

        @Override
        public void run() {
            var out = spec.commandLine().getOut();
            try (BridgeService b = o.open()) {
                switch (action) {
                    case "list" -> {
                        var all = b.scheduler().schedules();
                        o.print(
                                out,
                                all,
                                String.join(
                                        "\n",
                                        all.stream()
                                                .map(BridgeCommand::scheduleLine)
                                                .toList()));
                    }
                    case "trigger" -> {
                        BatchReport r = b.scheduler().trigger(need());
                        o.print(out, r, line(r));
                        failIfFailed(List.of(r));
                    }
                    case "reset" -> {
                        var s = b.scheduler().reset(need());
                        o.print(out, s, "reset " + s.entity() + ": the next run starts a complete pass");
                    }
                    default ->
                        throw new IllegalArgumentException(
                                "unknown schedule action '" + action + "' (list, trigger, reset)");
                }
            }
        }

        private String need() {
            if (entity == null) {
                throw new IllegalArgumentException("schedule " + action + " needs an entity");
            }
            return entity;
        }
    }
}
