package io.shuttlebridge.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.bundle.BundleManifest;
import io.shuttlebridge.core.bundle.Bundles;
import io.shuttlebridge.core.sync.SyncEngine;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code shuttle bundle export|import}: offline transfer as a self-contained SQLite file. */
@Command(
        name = "bundle",
        mixinStandardHelpOptions = true,
        description = "Offline transfer between two nodes as a self-contained SQLite file; import is idempotent.",
        subcommands = {BundleCommand.Export.class, BundleCommand.Import.class})
public final class BundleCommand extends ParentCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Command(
            name = "export",
            mixinStandardHelpOptions = true,
            description =
                    "Write the changes PEER has not acknowledged (everything for a peer never heard from) to FILE.")
    static final class Export implements Callable<Integer> {
        @Mixin
        DbOption db;

        @Option(
                names = "--peer",
                required = true,
                paramLabel = "NODE",
                description = "The peer's node uuid (see 'shuttle status').")
        String peer;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "The bundle file to create.")
        Path out;

        @Option(names = "--json", description = "Print the manifest as JSON.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter w = spec.commandLine().getOut();
            try (ShuttleDatabase d = db.openExisting()) {
                BundleManifest m = Bundles.export(
                        SyncEngine.open(d),
                        peer,
                        out,
                        Terminal.progress(spec.commandLine().getErr()));
                if (json) {
                    w.println(JSON.writeValueAsString(m));
                } else {
                    w.printf(
                            "Wrote %s: %,d changes for %s (bundle %s, content %s…)%n",
                            out,
                            m.changeCount(),
                            m.targetNode(),
                            m.bundleId(),
                            m.contentHash().substring(0, 12));
                }
                return 0;
            }
        }
    }

    @Command(
            name = "import",
            mixinStandardHelpOptions = true,
            description = "Validate a bundle (integrity, schema, count, hash) and apply it atomically.")
    static final class Import implements Callable<Integer> {
        @Mixin
        DbOption db;

        @Parameters(paramLabel = "FILE", description = "The bundle file.")
        Path file;

        @Option(names = "--json", description = "Print the result as JSON.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter w = spec.commandLine().getOut();
            try (ShuttleDatabase d = db.openExisting()) {
                Bundles.ImportResult r = Bundles.importBundle(
                        SyncEngine.open(d),
                        file,
                        Terminal.progress(spec.commandLine().getErr()));
                if (json) {
                    Map<String, Object> doc = new LinkedHashMap<>();
                    doc.put("bundleId", r.manifest().bundleId());
                    doc.put("sourceNode", r.manifest().sourceNode());
                    doc.put("alreadyImported", r.alreadyImported());
                    doc.put("applied", r.applied());
                    doc.put("duplicates", r.duplicates());
                    doc.put("superseded", r.superseded());
                    doc.put("pending", r.pending());
                    doc.put("conflicts", r.conflicts());
                    w.println(JSON.writeValueAsString(doc));
                } else if (r.alreadyImported()) {
                    w.printf(
                            "Bundle %s was imported before; nothing changed.%n",
                            r.manifest().bundleId());
                } else {
                    w.printf(
                            "Imported bundle %s from %s: %d applied, %d duplicates, %d superseded, %d waiting for a parent, %d conflicts.%n",
                            r.manifest().bundleId(),
                            r.manifest().sourceNode(),
                            r.applied(),
                            r.duplicates(),
                            r.superseded(),
                            r.pending(),
                            r.conflicts());
                }
                return 0;
            }
        }
    }
}
