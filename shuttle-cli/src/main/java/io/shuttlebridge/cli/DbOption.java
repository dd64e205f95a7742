package io.shuttlebridge.cli;

import picocli.CommandLine.Option;

/** The {@code --db} option shared by commands that work on one database. */
public final class DbOption {
    @Option(names = "--db", required = true, paramLabel = "DB",
            description = "The database: a SQLite file path or a JDBC URL (jdbc:postgresql://...).")
    public String db;

    /** Opens the database, refusing a SQLite path that does not exist (SQLite would create an empty file). */
    public io.shuttlebridge.core.ShuttleDatabase openExisting() {
        if (!db.startsWith("jdbc:") && !java.nio.file.Files.isRegularFile(java.nio.file.Path.of(db))) {
            throw new io.shuttlebridge.core.ShuttleException(io.shuttlebridge.core.ErrorCode.NOT_FOUND,
                    "no database file at " + db + " (give the path of an existing SQLite file or a JDBC URL)");
        }
        return io.shuttlebridge.core.ShuttleDatabase.open(db);
    }
}
