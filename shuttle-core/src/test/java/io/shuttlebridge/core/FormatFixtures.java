package io.shuttlebridge.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The databases earlier builds of Shuttle wrote, kept under {@code src/test/resources/formats} (its
 * README says how they were made): per build, a SQLite hub with two devices and, for some, a
 * PostgreSQL hub as a {@code pg_dump} with two devices of its own. Each device has writes it has not
 * pushed. Tests open copies, never the files themselves.
 */
public final class FormatFixtures {
    /** The build that wrote the databases, and what its format had and lacked. */
    public enum Build {
        /** The first day: no apply bracket tables, PostgreSQL feed keys in the database's collation. */
        FIRST_SYNC("8448670", true),
        /** Retired devices in a table of their own (one retired on the hub); no other change left. */
        RETIRED_TABLE("1b2d387", false),
        /** The last build before formats were numbered: today's tables, format 1. */
        LAST_UNNUMBERED("6b3e3ce", true);

        public final String commit;
        public final boolean postgres;

        Build(String commit, boolean postgres) {
            this.commit = commit;
            this.postgres = postgres;
        }
    }

    private FormatFixtures() {}

    /** Copies one of a build's files ({@code sqlite-hub.db}, {@code device-a.db}, ...) into {@code dir}. */
    public static Path copy(Build build, String file, Path dir) {
        Path to = dir.resolve(build.commit + "-" + file);
        try (InputStream in = open(build, file)) {
            Files.copy(in, to);
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new PostgreSQL database holding the build's PostgreSQL hub, restored from its dump; its JDBC URL. */
    public static String restorePostgresHub(Build build) {
        if (!build.postgres) {
            throw new IllegalArgumentException(build + " has no PostgreSQL hub");
        }
        String sql;
        try (InputStream in = open(build, "pg-hub.sql")) {
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String url = Postgres.freshDatabase();
        // the dump is plain SQL: the driver runs its statements in order, as psql -f would
        try (Connection c = Postgres.connect(url);
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("restoring the " + build + " dump: " + e.getMessage(), e);
        }
        return url;
    }

    private static InputStream open(Build build, String file) {
        String name = "/formats/" + build.commit + "/" + file;
        InputStream in = FormatFixtures.class.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalArgumentException("no fixture " + name);
        }
        return in;
    }
}
