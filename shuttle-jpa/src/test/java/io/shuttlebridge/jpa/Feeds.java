package io.shuttlebridge.jpa;

import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.sync.PullResult;
import io.shuttlebridge.core.sync.SyncEngine;
import java.util.ArrayList;
import java.util.List;

/** What a database's feed holds, read as a peer would pull it, with what makes one write differ from another. */
final class Feeds {
    private static final String OBSERVER = "00000000-0000-4000-8000-00000000abcd";

    private final SyncEngine engine;
    private long cursor;

    Feeds(SyncEngine engine) {
        this.engine = engine;
    }

    /** One captured change without its stamp and origin: table, key, op, replicated values, version and base. */
    record Captured(String table, List<Object> key, String op, String values, long version, long base) {
        static Captured of(Change c) {
            return new Captured(
                    c.table(),
                    c.key(),
                    c.op().name(),
                    new java.util.TreeMap<>(c.values()).toString(),
                    c.version(),
                    c.base());
        }
    }

    /** The changes captured since the last call, in feed order. */
    List<Captured> next() {
        List<Captured> out = new ArrayList<>();
        while (true) {
            PullResult page = engine.servePull(OBSERVER, cursor, 1000);
            page.changes().forEach(c -> out.add(Captured.of(c)));
            cursor = page.next();
            if (!page.more()) {
                return out;
            }
        }
    }
}
