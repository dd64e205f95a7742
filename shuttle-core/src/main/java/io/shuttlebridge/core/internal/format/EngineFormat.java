package io.shuttlebridge.core.internal.format;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.MetaKeys;
import io.shuttlebridge.core.internal.dialect.Dialect;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The format of the engine's own tables: the number a database carries in {@code _shuttle_meta}
 * (key {@code format}), and the newest this build knows and writes. Every release that changes a
 * {@code _shuttle_} table's shape adds a format step and raises {@link #CURRENT}.
 */
public final class EngineFormat {
    /** The newest format this build knows: the one it writes, and the one it upgrades earlier ones to. */
    public static final int CURRENT = 6;

    /**
     * What every database written before formats were numbered carries (they all wrote 1 and never
     * raised it, whatever changed), as does one whose metadata has no format at all: its tables hold
     * some of the later formats' changes and not others.
     */
    public static final int UNNUMBERED = 1;

    /** Returned by {@link #read} for a database where sync was never enabled (no {@code _shuttle_meta}). */
    static final int NOT_ENABLED = 0;

    private static final String KEY = "format";

    private EngineFormat() {}

    /**
     * The format of the database's tables in one lookup, or {@link #NOT_ENABLED}. Runs outside a
     * transaction: on a database without the metadata table, the failed lookup is followed by a look
     * at whether the table is there.
     */
    static int read(Connection c, Dialect dialect) throws SQLException {
        String value;
        try {
            value = MetaKeys.get(c, KEY).orElse(null);
        } catch (SQLException e) {
            if (!dialect.hasTable(c, "_shuttle_meta")) {
                return NOT_ENABLED;
            }
            throw e;
        }
        return parse(value);
    }

    /** The format of a database whose metadata table is there, inside a transaction. */
    static int readEnabled(Connection c) throws SQLException {
        return parse(MetaKeys.get(c, KEY).orElse(null));
    }

    /**
     * Takes the write lock on the format before it is read in an upgrade's transaction (on SQLite the
     * database's, on PostgreSQL the row's, made when missing), so that two processes opening the same
     * database upgrade it once: the second finds the format the first wrote.
     */
    static void claim(Connection c) throws SQLException {
        Jdbc.update(c, """
                INSERT INTO _shuttle_meta (key, value) VALUES ('format', '1')
                  ON CONFLICT (key) DO UPDATE SET value = _shuttle_meta.value""");
    }

    /** Writes {@code format} as the database's format (the caller's transaction decides when it counts). */
    public static void write(Connection c, int format) throws SQLException {
        Jdbc.update(
                c,
                "INSERT INTO _shuttle_meta (key, value) VALUES ('format', ?)"
                        + " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                Integer.toString(format));
    }

    /** Refuses a format newer than this build's, naming both. */
    static void refuseNewer(int format, String database) {
        if (format > CURRENT) {
            throw new ShuttleException(
                    ErrorCode.UNSUPPORTED_FORMAT,
                    "the Shuttle tables of " + database + " are in format " + format
                            + ", written by a newer release; this build knows formats up to " + CURRENT
                            + ": open it with a release that knows format " + format + " or newer");
        }
    }

    private static int parse(String value) {
        if (value == null) {
            return UNNUMBERED;
        }
        try {
            int format = Integer.parseInt(value.trim());
            if (format >= UNNUMBERED) {
                return format;
            }
        } catch (NumberFormatException e) {
            // told below
        }
        throw new ShuttleException(
                ErrorCode.UNSUPPORTED_FORMAT,
                "_shuttle_meta holds '" + value + "' as the format of the Shuttle tables, which is not a format"
                        + " number (1 to " + CURRENT + " are known to this build)");
    }
}
