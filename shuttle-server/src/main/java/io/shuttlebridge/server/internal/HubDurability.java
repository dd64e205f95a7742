package io.shuttlebridge.server.internal;

import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.internal.Jdbc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says at start when the hub's database could lose pushes it has answered: a SQLite file opened with
 * {@code synchronous} below FULL (Shuttle opens it with FULL unless told otherwise), a PostgreSQL server
 * running with {@code fsync} off (the push transaction itself turns {@code synchronous_commit} on).
 */
public final class HubDurability {
    private static final Logger log = LoggerFactory.getLogger(HubDurability.class);

    private HubDurability() {}

    /** Warns of a setting that lets a crash or power loss take back acknowledged pushes; never fails the start. */
    public static void check(ShuttleDatabase db) {
        try {
            db.read(c -> {
                switch (db.product()) {
                    case "sqlite" -> {
                        long level = Jdbc.queryLong(c, "PRAGMA synchronous").orElse(2L);
                        if (level < 2) {
                            log.warn(
                                    "the hub's SQLite database runs synchronous={} (FULL is 2): a power loss can take"
                                            + " back pushes it has answered; open it without a synchronous setting",
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
                    default -> {}
                }
                return null;
            });
        } catch (ShuttleException e) {
            log.debug("could not read the hub database's durability settings: {}", e.getMessage());
        }
    }
}
