package io.shuttlebridge.core.internal.dialect.mariadb;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which server a MariaDB-dialect connection talks to, MariaDB or MySQL, and what follows from it: the
 * collation that compares {@code utf8mb4} text code point by code point without padding (the engine's
 * keys, uuids and metadata keys are exact). MariaDB spells it {@code utf8mb4_nopad_bin}; MySQL 8 has no
 * such name and spells it {@code utf8mb4_0900_bin}. The engine writes MariaDB's name, and a session on
 * MySQL gets it translated ({@link MariaDbSql#translate(String, String)}). This is the one place the
 * choice is made.
 */
final class MariaDbServer {
    /** MariaDB's binary, no-pad {@code utf8mb4} collation, the name the engine's statements use. */
    static final String MARIADB_EXACT = "utf8mb4_nopad_bin";

    /** MySQL 8's. */
    static final String MYSQL_EXACT = "utf8mb4_0900_bin";

    private static final Pattern VERSION = Pattern.compile("^(\\d+)\\.(\\d+)");

    private MariaDbServer() {}

    /** The exact collation of the server {@code c} is connected to, read from the driver's handshake. */
    static String exactCollation(Connection c) throws SQLException {
        var meta = c.getMetaData();
        return exactCollation(meta.getDatabaseProductName(), meta.getDatabaseProductVersion());
    }

    /**
     * The exact collation of a server that calls itself {@code product} at {@code version}: MariaDB's
     * name on MariaDB (whose version says {@code -MariaDB}, and whose old servers may call themselves
     * MySQL 5.5.5 on the wire), MySQL 8's on MySQL 8 and later; MySQL before 8 has neither and is refused.
     */
    static String exactCollation(String product, String version) {
        String v = version == null ? "" : version;
        if ((product != null && product.toLowerCase(java.util.Locale.ROOT).contains("mariadb"))
                || v.toLowerCase(java.util.Locale.ROOT).contains("mariadb")) {
            return MARIADB_EXACT;
        }
        Matcher m = VERSION.matcher(v);
        if (m.find() && Integer.parseInt(m.group(1)) >= 8) {
            return MYSQL_EXACT;
        }
        throw new ShuttleException(
                ErrorCode.INVALID_ARGUMENT,
                "the database server is " + (product == null ? "MySQL" : product) + " " + v
                        + ": a hub needs MariaDB 10.11 or later or MySQL 8 or later (no exact utf8mb4 collation"
                        + " without padding before MySQL 8)");
    }
}
