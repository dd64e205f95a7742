package io.shuttlebridge.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.id.Hlc;
import io.shuttlebridge.core.internal.change.ChangeCodec;
import io.shuttlebridge.core.sync.ConflictRecord;
import io.shuttlebridge.core.sync.RejectedWrite;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.server.internal.NodeBindings;
import java.io.PrintWriter;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code shuttle conflicts list|show|resolve|dismiss|retry}: inspect conflicts and rejected writes and settle them. */
@Command(
        name = "conflicts",
        mixinStandardHelpOptions = true,
        description = "Inspect and resolve conflicts (MANUAL and VERSION_STRICT policies) and writes the hub rejected.",
        subcommands = {
            ConflictsCommand.ListConflicts.class,
            ConflictsCommand.Show.class,
            ConflictsCommand.Resolve.class,
            ConflictsCommand.Dismiss.class,
            ConflictsCommand.Retry.class
        })
public final class ConflictsCommand extends ParentCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    static ObjectNode json(ConflictRecord c) {
        return json(c, Map.of());
    }

    /** A conflict as JSON; on a hub, each side names the subject its node belongs to ({@code subjects}: node to subject). */
    static ObjectNode json(ConflictRecord c, Map<String, String> subjects) {
        ObjectNode o = JSON.createObjectNode();
        o.put("kind", "conflict");
        o.put("id", c.id());
        o.put("table", c.table());
        ArrayNode key = o.putArray("key");
        c.key().forEach(k -> key.add(ChangeCodec.value(k)));
        o.put("policy", c.policy().name());
        o.put("status", c.status());
        o.put("resolution", c.resolution());
        o.put("detectedAt", c.detectedAt());
        ObjectNode local = o.putObject("local");
        local.put("origin", c.localOrigin())
                .put("subject", subjects.get(c.localOrigin()))
                .put("hlc", Hlc.encode(c.localHlc()))
                .put("version", c.localVersion());
        local.set(
                "values",
                c.localValues() == null ? null : ChangeCodec.parse(ChangeCodec.valuesJson(c.localValues()), "values"));
        ObjectNode remote = o.putObject("remote");
        remote.put("origin", c.remoteOrigin())
                .put("subject", subjects.get(c.remoteOrigin()))
                .put("hlc", Hlc.encode(c.remoteHlc()))
                .put("version", c.remoteVersion());
        remote.set(
                "values",
                c.remoteValues() == null
                        ? null
                        : ChangeCodec.parse(ChangeCodec.valuesJson(c.remoteValues()), "values"));
        return o;
    }

    private static String cell(Map<String, Object> values, String column) {
        if (values == null) {
            return "(deleted)";
        }
        Object v = values.get(column);
        return v instanceof byte[] b ? "x'" + HexFormat.of().formatHex(b) + "'" : String.valueOf(v);
    }

    /** Both sides side by side, one line per column, differences marked. */
    static void printSideBySide(PrintWriter out, ConflictRecord c, Map<String, String> subjects) {
        out.printf(
                "conflict %d  %s %s  policy %s  %s  detected %s%n",
                c.id(), c.table(), c.key(), c.policy(), c.status(), c.detectedAt());
        out.printf(
                "  %-20s %-30s %-30s%n",
                "column",
                "local (" + side(c.localOrigin(), subjects) + ")",
                "remote (" + side(c.remoteOrigin(), subjects) + ")");
        Set<String> columns = new LinkedHashSet<>();
        if (c.localValues() != null) {
            columns.addAll(c.localValues().keySet());
        }
        if (c.remoteValues() != null) {
            columns.addAll(c.remoteValues().keySet());
        }
        if (columns.isEmpty()) {
            out.printf("  %-20s %-30s %-30s%n", "(row)", "(deleted)", "(deleted)");
        }
        for (String col : columns) {
            String l = cell(c.localValues(), col);
            String r = cell(c.remoteValues(), col);
            out.printf("%s %-20s %-30s %-30s%n", l.equals(r) ? " " : "*", col, l, r);
        }
    }

    private static String side(String origin, Map<String, String> subjects) {
        String subject = subjects.get(origin);
        return origin.substring(0, Math.min(8, origin.length())) + (subject == null ? "" : ", " + subject);
    }

    static ObjectNode json(RejectedWrite w) {
        ObjectNode o = JSON.createObjectNode();
        o.put("kind", "rejected");
        o.put("id", w.id());
        o.put("table", w.table());
        ArrayNode key = o.putArray("key");
        w.key().forEach(k -> key.add(ChangeCodec.value(k)));
        o.put("op", w.op().name());
        o.put("code", w.code().name());
        o.put("message", w.message());
        o.put("hlc", Hlc.encode(w.hlc()));
        o.put("rejectedAt", w.rejectedAt());
        o.put("status", w.status());
        o.set("values", w.values() == null ? null : ChangeCodec.parse(ChangeCodec.valuesJson(w.values()), "values"));
        return o;
    }

    /** A rejected write: what this device tried to write, and what the hub said. */
    static void printRejected(PrintWriter out, RejectedWrite w) {
        out.printf(
                "rejected write %d  %s %s  %s  %s  at %s%n",
                w.id(), w.table(), w.key(), w.op(), w.status(), w.rejectedAt());
        out.printf("  the hub said: %s %s%n", w.code(), w.message());
        if (w.values() != null) {
            for (var e : w.values().entrySet()) {
                out.printf("  %-20s %s%n", e.getKey(), cell(w.values(), e.getKey()));
            }
        }
    }

    @Command(name = "dismiss", mixinStandardHelpOptions = true, description = "Dismiss a rejected write once handled.")
    static final class Dismiss implements Callable<Integer> {
        @Mixin
        DbOption db;

        @Parameters(paramLabel = "ID", description = "Rejected write id (from 'shuttle conflicts list').")
        long id;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (ShuttleDatabase d = db.openExisting()) {
                RejectedWrite w = SyncEngine.open(d).dismissRejected(id);
                spec.commandLine()
                        .getOut()
                        .printf("Rejected write %d (%s %s) dismissed.%n", w.id(), w.table(), w.key());
                return 0;
            }
        }
    }

    @Command(
            name = "retry",
            mixinStandardHelpOptions = true,
            description = "Write a rejected write again so that the next sync pushes it once more"
                    + " (after the hub was changed to take it).")
    static final class Retry implements Callable<Integer> {
        @Mixin
        DbOption db;

        @Parameters(paramLabel = "ID", description = "Rejected write id (from 'shuttle conflicts list').")
        long id;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (ShuttleDatabase d = db.openExisting()) {
                RejectedWrite w = SyncEngine.open(d).retryRejected(id);
                spec.commandLine()
                        .getOut()
                        .printf(
                                "Rejected write %d (%s %s) written again; it is pushed on the next 'shuttle sync'.%n",
                                w.id(), w.table(), w.key());
                return 0;
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List conflicts (open ones unless --all).")
    static final class ListConflicts implements Callable<Integer> {
        @Mixin
        DbOption db;

        @Option(names = "--all", description = "Include resolved conflicts.")
        boolean all;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            try (ShuttleDatabase d = db.openExisting()) {
                SyncEngine engine = SyncEngine.open(d);
                List<ConflictRecord> list = engine.conflicts(!all);
                List<RejectedWrite> rejected = engine.rejectedWrites(!all);
                Map<String, String> subjects = NodeBindings.subjectsByNode(d);
                if (json) {
                    ArrayNode a = JSON.createArrayNode();
                    list.forEach(c -> a.add(json(c, subjects)));
                    rejected.forEach(w -> a.add(json(w)));
                    out.println(JSON.writeValueAsString(a));
                    return 0;
                }
                if (list.isEmpty() && rejected.isEmpty()) {
                    out.println(all ? "No conflicts recorded." : "No open conflicts.");
                    return 0;
                }
                for (ConflictRecord c : list) {
                    printSideBySide(out, c, subjects);
                    out.println();
                }
                for (RejectedWrite w : rejected) {
                    printRejected(out, w);
                    out.println();
                }
                if (!list.isEmpty()) {
                    out.println("Settle one with: shuttle conflicts resolve --db " + db.db
                            + " ID --take local|remote (or --values JSON)");
                }
                if (!rejected.isEmpty()) {
                    out.println("Dismiss a rejected write once handled with: shuttle conflicts dismiss --db " + db.db
                            + " ID");
                    out.println(
                            "Push one again once the hub takes it with: shuttle conflicts retry --db " + db.db + " ID");
                }
                return 0;
            }
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Show one conflict with both sides side by side.")
    static final class Show implements Callable<Integer> {
        @Mixin
        DbOption db;

        @Parameters(paramLabel = "ID", description = "Conflict id (from 'shuttle conflicts list').")
        long id;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            try (ShuttleDatabase d = db.openExisting()) {
                ConflictRecord c = SyncEngine.open(d).conflicts(false).stream()
                        .filter(x -> x.id() == id)
                        .findFirst()
                        .orElseThrow(() -> new ShuttleException(ErrorCode.NOT_FOUND, "no conflict with id " + id));
                Map<String, String> subjects = NodeBindings.subjectsByNode(d);
                if (json) {
                    out.println(JSON.writeValueAsString(json(c, subjects)));
                } else {
                    printSideBySide(out, c, subjects);
                }
                return 0;
            }
        }
    }

    @Command(
            name = "resolve",
            mixinStandardHelpOptions = true,
            description = "Settle a conflict; the settlement is an ordinary write and syncs to every replica.")
    static final class Resolve implements Callable<Integer> {
        @Mixin
        DbOption db;

        @Parameters(paramLabel = "ID", description = "Conflict id.")
        long id;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Choice choice;

        static final class Choice {
            @Option(names = "--take", paramLabel = "SIDE", description = "local or remote.")
            String take;

            @Option(
                    names = "--values",
                    paramLabel = "JSON",
                    description = "The row to write, as a JSON object of column values.")
            String values;
        }

        @Option(names = "--json", description = "Print the resolved conflict as JSON.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            SyncEngine.Settlement settlement;
            if (choice.take != null) {
                settlement = switch (choice.take.toLowerCase(Locale.ROOT)) {
                    case "local" -> new SyncEngine.TakeLocal();
                    case "remote" -> new SyncEngine.TakeRemote();
                    default ->
                        throw new IllegalArgumentException("--take must be local or remote, got '" + choice.take + "'");
                };
            } else {
                Map<String, Object> values = ChangeCodec.valuesFromJson(choice.values);
                if (values == null) {
                    throw new IllegalArgumentException("--values must be a JSON object");
                }
                settlement = new SyncEngine.Values(values);
            }
            PrintWriter out = spec.commandLine().getOut();
            try (ShuttleDatabase d = db.openExisting()) {
                ConflictRecord done = SyncEngine.open(d).resolve(id, settlement);
                if (json) {
                    out.println(JSON.writeValueAsString(json(done)));
                } else {
                    out.printf(
                            "Conflict %d resolved (%s); the chosen row is written as a new change and syncs on the next"
                                    + " 'shuttle sync'.%n",
                            done.id(), done.resolution());
                }
                return 0;
            }
        }
    }
}
