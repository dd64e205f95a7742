package io.shuttlebridge.core.internal.feed;

import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.dialect.Dialects;
import java.sql.Connection;
import java.sql.SQLException;

/** Operations on a database's change feed. */
public final class Feed {
    private Feed() {}

    /**
     * Folds captured writes into the feed now (the engine does this before every read and apply;
     * call it before inspecting {@code _shuttle_feed} with plain SQL).
     */
    public static void compact(ShuttleDatabase db) {
        db.transaction(c -> {
            Dialects.of(db).capture().fold(c);
            return null;
        });
    }

    /** The feed's highest seq as {@code c} sees it (0: an empty feed). */
    public static long top(Connection c) throws SQLException {
        return Jdbc.queryLong(c, "SELECT max(seq) FROM _shuttle_feed").orElse(0L);
    }
}
