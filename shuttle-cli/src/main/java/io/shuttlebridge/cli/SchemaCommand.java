package io.shuttlebridge.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.capture.SchemaChanges;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code shuttle schema check|apply}: a synced database's tables against the shape capture took (DESIGN §10). */
@Command(
        name = "schema",
        mixinStandardHelpOptions = true,
        description = {
            "Compare a synced database's tables with the shape capture took of them, and take the additive changes.",
            "A running hub takes additive changes by itself; devices take their hub's on their next sync."
        },
        subcommands = {SchemaCommand.Check.class, SchemaCommand.Apply.class})
public final class SchemaCommand implements Runnable {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: check or apply");
    }

    @Command(
            name = "check",
            mixinStandardHelpOptions = true,
            description = {
                "List, table by table, how the tables differ from the shape capture took: additive changes (a new",
                "nullable or defaulted column, a new table with a primary key) that 'shuttle schema apply' or a",
                "running hub takes, and destructive ones (a table or column dropped or renamed, a type or key",
                "changed, a new NOT NULL column without a default) that are refused, each with what to do.",
                "Changes nothing. Exits 1 when a destructive change is pending, 0 otherwise."
            })
    static final class Check implements Callable<Integer> {
        @Mixin
        DbOption db;

        @Option(names = "--json", description = "Print the result as JSON.")
        boolean json;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try (ShuttleDatabase database = db.openExisting()) {
                SchemaChanges r = Capture.checkSchema(database);
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    out.println(json(db.db, r));
                } else {
                    print(out, db.db, r);
                    if (!r.safe().isEmpty()) {
                        out.printf(
                                "%d additive change(s) to take: shuttle schema apply --db %s (a running hub takes them"
                                        + " by itself within a second; devices add them on their next sync).%n",
                                r.safe().size(), db.db);
                    }
                    refusedSummary(out, r);
                    if (r.items().isEmpty()) {
                        out.printf("No schema changes since capture (synced schema version %d).%n", r.version());
                    }
                }
                out.flush();
                return r.isSafe() ? Main.EXIT_OK : Main.EXIT_FAILURE;
            }
        }
    }

    @Command(
            name = "apply",
            mixinStandardHelpOptions = true,
            description = {
                "Take the additive changes now: capture triggers installed again for tables that gained columns, new",
                "tables registered under LWW and their rows backfilled, under a new synced schema version. Devices",
                "add the columns and tables on their next sync and take the hub's values of them. Destructive changes",
                "are left out and listed with what to do; it then exits 1.",
                "With --accept-destructive TABLE, that table is taken again at the shape it has now (its triggers,",
                "its rows captured again): devices clone it again on their next sync, and keep their writes to it",
                "not pushed yet as rejected writes (shuttle conflicts list) to retry or dismiss."
            })
    static final class Apply implements Callable<Integer> {
        @Mixin
        DbOption db;

        @Option(
                names = "--accept-destructive",
                paramLabel = "TABLE",
                description = "Take this table again at its new shape, accepting its destructive changes (repeatable).")
        List<String> accept = new ArrayList<>();

        @Option(names = "--json", description = "Print the result as JSON.")
        boolean json;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try (ShuttleDatabase database = db.openExisting()) {
                SchemaChanges r = null;
                for (String table : accept) {
                    r = Capture.acceptSchema(database, table);
                }
                r = r == null ? Capture.applySchema(database) : merged(r, Capture.applySchema(database));
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    out.println(json(db.db, r));
                } else {
                    print(out, db.db, r);
                    if (r.changed()) {
                        out.printf(
                                "Took %d change(s): synced schema version %d. Devices take them on their next sync.%n",
                                r.safe().size(), r.version());
                    } else if (r.refused().isEmpty()) {
                        out.printf("Nothing to take (synced schema version %d).%n", r.version());
                    }
                    refusedSummary(out, r);
                }
                out.flush();
                return r.isSafe() ? Main.EXIT_OK : Main.EXIT_FAILURE;
            }
        }
    }

    /** What accepting did, then the apply after it (which finds what is left). */
    private static SchemaChanges merged(SchemaChanges accepted, SchemaChanges after) {
        List<SchemaChanges.Item> items = new ArrayList<>(accepted.items());
        for (SchemaChanges.Item i : after.items()) {
            if (!items.contains(i)) {
                items.add(i);
            }
        }
        items.removeIf(i -> !i.safe() && !after.items().contains(i));
        return new SchemaChanges(after.version(), items, true);
    }

    private static void print(PrintWriter out, String db, SchemaChanges r) {
        Map<String, List<SchemaChanges.Item>> byTable = byTable(r);
        if (byTable.isEmpty()) {
            return;
        }
        out.printf("%s (synced schema version %d):%n", db, r.version());
        byTable.forEach((table, items) -> {
            out.println("  " + table);
            for (SchemaChanges.Item i : items) {
                out.println("    " + (i.safe() ? "+ " : "! refused: ") + i.message());
            }
        });
    }

    private static void refusedSummary(PrintWriter out, SchemaChanges r) {
        if (!r.refused().isEmpty()) {
            out.printf(
                    "%d destructive change(s) refused: those tables keep syncing with the shape they were captured"
                            + " with (README: Schema changes).%n",
                    r.refused().size());
        }
    }

    private static Map<String, List<SchemaChanges.Item>> byTable(SchemaChanges r) {
        Map<String, List<SchemaChanges.Item>> out = new LinkedHashMap<>();
        for (SchemaChanges.Item i : r.items()) {
            out.computeIfAbsent(i.table(), t -> new ArrayList<>()).add(i);
        }
        return out;
    }

    private static String json(String db, SchemaChanges r) throws Exception {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("db", db);
        doc.put("schemaVersion", r.version());
        doc.put("changed", r.changed());
        doc.put("additive", r.safe().size());
        doc.put("refused", r.refused().size());
        List<Map<String, Object>> tables = new ArrayList<>();
        byTable(r).forEach((table, items) -> {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("table", table);
            List<Map<String, Object>> changes = new ArrayList<>();
            for (SchemaChanges.Item i : items) {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("column", i.column());
                c.put("kind", i.safe() ? "additive" : "refused");
                c.put("message", i.message());
                changes.add(c);
            }
            t.put("changes", changes);
            tables.add(t);
        });
        doc.put("tables", tables);
        return new ObjectMapper().writeValueAsString(doc);
    }
}
