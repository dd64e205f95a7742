package io.shuttlebridge.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.capture.CaptureOptions;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code shuttle init}: enable (or remove) sync on an existing database. */
@Command(
        name = "init",
        mixinStandardHelpOptions = true,
        description = {
            "Enable sync on an existing database: metadata tables, capture triggers, and a backfill of",
            "existing rows. Running it again is harmless; --remove takes every Shuttle object away."
        })
public final class InitCommand implements Callable<Integer> {
    @Mixin
    DbOption db;

    @Option(
            names = "--tables",
            split = ",",
            paramLabel = "TABLE",
            description = "Tables to enable (default: every table).")
    List<String> tables = new ArrayList<>();

    @Option(
            names = "--exclude-columns",
            split = ",",
            paramLabel = "TABLE.COLUMN",
            description = "Columns that are not replicated (e.g. an auto-maintained updated_at).")
    List<String> excluded = new ArrayList<>();

    @Option(
            names = "--policy",
            paramLabel = "POLICY",
            description = "Conflict policy for these tables: LWW (default), FIELD_LWW, VERSION_STRICT, MANUAL.")
    String policy;

    @Option(
            names = "--scope-column",
            split = ",",
            paramLabel = "TABLE.COLUMN",
            description = "Column holding each row's scope.")
    List<String> scopeColumns = new ArrayList<>();

    @Option(
            names = {"--remove", "--disable"},
            description = "Remove every trigger and metadata object instead (user data is kept).")
    boolean remove;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (ShuttleDatabase database = db.openExisting()) {
            if (remove) {
                Capture.remove(database);
                if (json) {
                    out.println("{\"removed\":true,\"db\":"
                            + new ObjectMapper().writeValueAsString(database.displayUrl()) + "}");
                } else {
                    out.println("Removed sync from " + database.displayUrl()
                            + ": every trigger and _shuttle_ table is gone, your data is untouched.");
                }
                return 0;
            }
            CaptureOptions.Builder options = CaptureOptions.builder().tables(tables);
            excluded.forEach(options::excludeColumn);
            if (policy != null) {
                options.policy(ConflictPolicy.parse(policy));
            }
            for (String sc : scopeColumns) {
                int dot = sc.lastIndexOf('.');
                if (dot <= 0) {
                    throw new IllegalArgumentException("--scope-column must be written table.column, got '" + sc + "'");
                }
                options.scopeColumn(sc.substring(0, dot), sc.substring(dot + 1));
            }
            Capture.EnableResult r = Capture.enable(
                    database,
                    options.build(),
                    Terminal.progress(spec.commandLine().getErr()));
            if (json) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("db", database.displayUrl());
                doc.put("nodeUuid", r.nodeUuid());
                doc.put("tables", r.tables());
                doc.put("backfilled", r.backfilled());
                doc.put("plan", r.plan());
                out.println(new ObjectMapper().writeValueAsString(doc));
            } else {
                out.printf("Sync enabled on %s (node %s)%n", database.displayUrl(), r.nodeUuid());
                out.printf("  %-30s %s%n", "table", "rows backfilled");
                r.backfilled().forEach((t, n) -> out.printf("  %-30s %,d%n", t, n));
                r.plan().forEach(line -> out.println("  " + line));
            }
            return 0;
        }
    }
}
