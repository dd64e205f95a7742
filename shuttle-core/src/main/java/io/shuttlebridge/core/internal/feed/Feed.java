package io.shuttlebridge.core.internal.feed;

import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.internal.dialect.Dialects;

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
}
