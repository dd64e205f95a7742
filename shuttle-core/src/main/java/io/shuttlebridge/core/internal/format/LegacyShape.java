package io.shuttlebridge.core.internal.format;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.schema.Table;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a database written before formats were numbered holds of the engine's tables, looked at
 * before it is upgraded. The format steps add what came later; what every build that could sync
 * wrote (cursors per peer, the capture log, the feed with the peer each change came from) must be
 * there, or the database is from a development build before that and is refused, naming what it
 * lacks.
 */
final class LegacyShape {
    /** The tables of every build that could sync, on both products. */
    private static final List<String> TABLES = List.of(
            "_shuttle_meta",
            "_shuttle_nodes",
            "_shuttle_tables",
            "_shuttle_log",
            "_shuttle_feed",
            "_shuttle_colclock",
            "_shuttle_peers",
            "_shuttle_conflicts",
            "_shuttle_pending");

    /** The feed's columns in those builds. */
    private static final List<String> FEED_COLUMNS =
            List.of("tbl", "pk", "seq", "op", "hlc", "origin", "version", "base", "scope", "via");

    private LegacyShape() {}

    /** The tables and feed columns the database lacks of that shape; none when it can be upgraded. */
    static List<String> missing(Connection c, Dialect dialect) throws SQLException {
        List<String> missing = new ArrayList<>();
        for (String table : TABLES) {
            if (!dialect.hasTable(c, table)) {
                missing.add(table);
            }
        }
        if (!missing.contains("_shuttle_feed")) {
            Table feed = dialect.readTable(c, "_shuttle_feed");
            for (String column : FEED_COLUMNS) {
                if (feed.column(column).isEmpty()) {
                    missing.add("_shuttle_feed." + column);
                }
            }
        }
        return missing;
    }

    /** Refuses a database that lacks part of that shape, naming what. */
    static void requireUpgradable(Connection c, Dialect dialect, String database) throws SQLException {
        List<String> missing = missing(c, dialect);
        if (!missing.isEmpty()) {
            throw new ShuttleException(
                    ErrorCode.UNSUPPORTED_FORMAT,
                    "the Shuttle tables of " + database + " were written by a development build from before they"
                            + " could sync (format " + EngineFormat.UNNUMBERED + " without "
                            + String.join(", ", missing) + "), which this build cannot upgrade to format "
                            + EngineFormat.CURRENT + ": take its rows out, then run 'shuttle init --remove'"
                            + " and 'shuttle init' on it");
        }
    }
}
