package io.shuttlebridge.cli;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import picocli.CommandLine.Option;

/** The {@code --db} option shared by commands that work on one database. */
public final class DbOption {
    @Option(
            names = "--db",
            required = true,
            paramLabel = "DB",
            description = "The database: a SQLite file path or a JDBC URL (jdbc:postgresql://...).")
    public String db;

    /** Opens the database, refusing a SQLite path that does not exist (SQLite would create an empty file). */
    public ShuttleDatabase openExisting() {
        return openExisting(new Properties());
    }

    /** {@link #openExisting()} with connection properties of its own for a SQLite file ({@link #durable()}). */
    public ShuttleDatabase openExisting(Properties properties) {
        if (!db.startsWith("jdbc:") && !Files.isRegularFile(Path.of(db))) {
            throw new ShuttleException(
                    ErrorCode.NOT_FOUND,
                    "no database file at " + db + " (give the path of an existing SQLite file or a JDBC URL)");
        }
        Properties p = new Properties();
        if (!db.startsWith("jdbc:") || db.startsWith("jdbc:sqlite:")) {
            p.putAll(properties);
        }
        return ShuttleDatabase.open(db, p);
    }

    /**
     * Connection settings of a database every commit of which must survive a power loss (a hub's: its
     * leases and bindings as much as the pushes it answers): SQLite's {@code synchronous=FULL}.
     */
    public static Properties durable() {
        Properties p = new Properties();
        p.setProperty("synchronous", "FULL");
        return p;
    }
}
