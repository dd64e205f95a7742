package io.shuttlebridge.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.sync.EngineAccess;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.server.internal.rules.RuleEvaluator;
import io.shuttlebridge.server.internal.rules.RulesCheck;
import io.shuttlebridge.server.rules.Predicate;
import io.shuttlebridge.server.rules.SyncRules;
import io.shuttlebridge.server.rules.TableRule;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code shuttle rules check}: what a subject would read and may write under a rules file (DESIGN §9). */
@Command(
        name = "rules",
        mixinStandardHelpOptions = true,
        description = "Sync rules: check a rules file against a hub and see what a subject would read and write.",
        subcommands = {RulesCommand.Check.class})
public final class RulesCommand extends ParentCommand {

    @Command(
            name = "check",
            mixinStandardHelpOptions = true,
            description = {
                "Validate F against the hub DB, then print per table how many rows subject S would read",
                "and whether it may write them; --row TABLE=KEY says whether one stored row is readable and writable."
            })
    static final class Check implements Callable<Integer> {
        @Mixin
        DbOption db;

        @Option(names = "--rules", required = true, paramLabel = "F", description = "The rules file (YAML).")
        Path rulesFile;

        @Option(names = "--sub", required = true, paramLabel = "S", description = "The subject to check for.")
        String sub;

        @Option(names = "--claim", paramLabel = "k=v", description = "A claim of the subject's token, repeatable.")
        List<String> claims = new ArrayList<>();

        @Option(
                names = "--row",
                paramLabel = "TABLE=KEY",
                description = "A row to check, e.g. task=42 (a composite key as 1,7).")
        List<String> rows = new ArrayList<>();

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("sub", sub);
            values.putAll(ClaimValue.claims(claims, spec));
            SyncRules rules = SyncRules.load(rulesFile);
            PrintWriter out = spec.commandLine().getOut();
            try (ShuttleDatabase d = db.openExisting()) {
                SyncSchema schema = EngineAccess.context(SyncEngine.open(d)).schema();
                RulesCheck.validate(rules, d, schema);
                ObjectNode doc = new ObjectMapper().createObjectNode().put("subject", sub);
                ArrayNode tables = doc.putArray("tables");
                if (!json) {
                    out.printf("%s is valid for %s. What %s would hold:%n%n", rulesFile, d.displayUrl(), sub);
                    out.printf("  %-24s %10s %10s  %-10s %s%n", "table", "reads", "of", "writes", "hidden");
                }
                for (SyncedTable t : schema.tables()) {
                    TableRule r = rules.table(t.name());
                    long readable = d.read(c -> RuleEvaluator.count(c, t, r.read(), values));
                    long total = d.read(c -> RuleEvaluator.count(c, t, Predicate.ALL, values));
                    String writes = describe(r.write());
                    tables.addObject()
                            .put("table", t.name())
                            .put("readable", readable)
                            .put("rows", total)
                            .put("write", writes)
                            .put("hidden", String.join(",", r.hiddenColumns()));
                    if (!json) {
                        out.printf(
                                "  %-24s %10d %10d  %-10s %s%n",
                                t.name(),
                                readable,
                                total,
                                writes,
                                r.hiddenColumns().isEmpty() ? "-" : String.join(", ", r.hiddenColumns()));
                    }
                }
                ArrayNode checked = doc.putArray("rows");
                for (String row : rows) {
                    int eq = row.indexOf('=');
                    if (eq <= 0) {
                        throw new CommandLine.ParameterException(
                                spec.commandLine(), "--row takes TABLE=KEY, got '" + row + "'");
                    }
                    SyncedTable t = schema.require(row.substring(0, eq));
                    List<Object> key = key(row.substring(eq + 1), t);
                    TableRule r = rules.table(t.name());
                    Boolean read = d.read(c -> RuleEvaluator.holds(c, t, r.read(), key, values));
                    Boolean write = d.read(c -> RuleEvaluator.holds(c, t, r.write(), key, values));
                    checked.addObject()
                            .put("row", row)
                            .put("exists", read != null)
                            .put("readable", Boolean.TRUE.equals(read))
                            .put("writable", Boolean.TRUE.equals(write));
                    if (!json) {
                        out.printf(
                                "%n  %s: %s%n",
                                row,
                                read == null
                                        ? "no such row on the hub"
                                        : (read ? "readable" : "not readable") + ", "
                                                + (write ? "writable" : "not writable") + " by " + sub);
                    }
                }
                if (json) {
                    out.println(new ObjectMapper().writeValueAsString(doc));
                }
                return 0;
            }
        }

        private static String describe(Predicate p) {
            return switch (p) {
                case Predicate.All a -> "all";
                case Predicate.None n -> "none";
                case Predicate.Sql s -> "by rule";
            };
        }

        private static List<Object> key(String text, SyncedTable t) {
            String[] parts = text.split(",");
            if (parts.length != t.key().size()) {
                throw new ShuttleException(
                        ErrorCode.INVALID_ARGUMENT,
                        "the key of '" + t.name() + "' is " + t.key() + ": give "
                                + t.key().size() + " value(s)");
            }
            List<Object> key = new ArrayList<>();
            for (String p : parts) {
                Object v = ClaimValue.parse(p.trim());
                key.add(v);
            }
            return key;
        }
    }
}
