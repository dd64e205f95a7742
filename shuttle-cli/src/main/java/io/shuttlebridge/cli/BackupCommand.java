package io.shuttlebridge.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.shuttlebridge.core.backup.Backups;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code shuttle backup}: an online, consistent copy of a SQLite device or hub. */
@Command(
        name = "backup",
        mixinStandardHelpOptions = true,
        description = {
            "Copy a SQLite database (a device or a hub) into a new file while it is in use: one consistent",
            "snapshot, written under a temporary name, synced and renamed. A database restored from the copy",
            "tells its hub on its next sync and gets back what it pushed after the backup (README: Backups",
            "and restores). For a PostgreSQL hub it says how to use pg_dump, for a MariaDB or MySQL hub",
            "mariadb-dump --single-transaction (mysqldump)."
        })
public final class BackupCommand implements Callable<Integer> {
    @Mixin
    DbOption db;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The backup file to create.")
    Path out;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Backups.Result r =
                Backups.sqlite(db.db, out, Terminal.progress(spec.commandLine().getErr()));
        PrintWriter o = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("db", db.db);
            doc.put("out", r.file().toString());
            doc.put("bytes", r.bytes());
            doc.put("backupId", r.backupId());
            doc.put("takenAt", r.takenAt().toString());
            doc.put("node", r.node());
            doc.put("millis", r.took().toMillis());
            o.println(new ObjectMapper().writeValueAsString(doc));
        } else {
            o.printf(
                    "Backed up %s to %s: %,d bytes in %d ms%s%n",
                    db.db,
                    r.file(),
                    r.bytes(),
                    r.took().toMillis(),
                    r.node() == null
                            ? ""
                            : " (node " + r.node() + ", backup " + r.backupId() + " taken at " + r.takenAt() + ")");
        }
        o.flush();
        return 0;
    }
}
