package io.shuttlebridge.server.internal;

import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.internal.Jdbc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says at start what of the hub's database could be lost to a crash or a power loss: a PostgreSQL server
 * running with {@code fsync} off loses anything (a warning); a SQLite file opened with {@code synchronous}
 * below FULL loses recent leases and node bindings, never an answered push or pull, which commit with FULL
 * whatever the connection's setting ({@code ShuttleDatabase.durableTransaction}).
 */
public final class HubDurability {
    private static final Logger log = LoggerFactory.getLogger(HubDurability.class);

    private HubDurability() {}

    /** Logs what a crash or power loss could take back; never fails the start. */
    public static void check(ShuttleDatabase db) {
        try {
            db.read(c -> {
                switch (db.product()) {
                    case "sqlite" -> {
                        long level = Jdbc.queryLong(c, "PRAGMA synchronous").orElse(2L);
                        if (level < 2) {
                            log.info(
                                    "the hub's SQLite database runs synchronous={}: pushes and pulls commit with FULL"
                                            + " all the same, leases and node bindings do not; open it with"
                                            + " synchronous=FULL (shuttle serve does) to have every commit survive a"
                                            + " power loss",
                                    level);
                        }
                    }
                    case "postgresql" -> {
                        String fsync = Jdbc.queryString(c, "SHOW fsync").orElse("on");
                        if (!"on".equalsIgnoreCase(fsync)) {
                            log.warn(
                                    "the hub's PostgreSQL server runs with fsync={}: a crash can take back pushes it"
                                            + " has answered and corrupt the database; turn fsync on",
                                    fsync);
                        }
                    }
                    case "mariadb" -> {
                        long flush = Jdbc.queryLong(c, "SELECT @@innodb_flush_log_at_trx_commit")
                                .orElse(1L);
                        if (flush != 1) {
                            log.warn(
                                    "the hub's MariaDB server runs with innodb_flush_log_at_trx_commit={}: a crash can"
                                            + " take back pushes it has answered; set it to 1",
                                    flush);
                        }
                    }
                    default -> {}
                }
                return null;
            });
        } catch (ShuttleException e) {
            log.debug("could not read the hub database's durability settings: {}", e.getMessage());
        }
    }
}
