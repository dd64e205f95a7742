package io.shuttlebridge.cli;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --db} option shared by commands that work on one database. */
public final class DbOption {
    @Option(
            names = "--db",
            required = true,
            paramLabel = "DB",
            description = "The database: a SQLite file path or a JDBC URL (jdbc:postgresql://..., jdbc:mariadb://...).")
    public String db;

    /** Opens the database, refusing a SQLite path that does not exist (SQLite would create an empty file). */
    public ShuttleDatabase openExisting() {
        if (!db.startsWith("jdbc:") && !Files.isRegularFile(Path.of(db))) {
            throw new ShuttleException(
                    ErrorCode.NOT_FOUND,
                    "no database file at " + db + " (give the path of an existing SQLite file or a JDBC URL)");
        }
        return ShuttleDatabase.open(db);
    }
}
