package io.shuttlebridge.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.Properties;

/** SQLite files for benchmarks: every variant opens them with the same settings, and they are removed afterwards. */
public final class BenchFiles {
    private BenchFiles() {}

    /** A plain connection with the settings Shuttle itself uses (WAL, synchronous=NORMAL). */
    public static Connection open(Path file) throws SQLException {
        Properties p = new Properties();
        p.setProperty("journal_mode", "WAL");
        p.setProperty("synchronous", "NORMAL");
        return DriverManager.getConnection("jdbc:sqlite:" + file, p);
    }

    /** Deletes a folder and everything in it. */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
