package io.shuttlebridge.core.internal.sync.apply;

import static io.shuttlebridge.core.Postgres.exec;
import static io.shuttlebridge.core.Postgres.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.Postgres;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.capture.CaptureOptions;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.id.Hlc;
import io.shuttlebridge.core.internal.sync.EngineAccess;
import io.shuttlebridge.core.sync.SyncEngine;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A hub holding a writer's new row for a missing parent, then the same writer's next write of it (made on
 * the held one), holds the latter on the former's base: the row the hub takes from another writer meanwhile
 * has a version of the same number, and the held write, released when its parent comes, must not pass the
 * VERSION_STRICT check on it as if it had been made on that row.
 */
class HeldChainTest {
    private static final String A = "00000000-0000-4000-8000-00000000000a";
    private static final String B = "00000000-0000-4000-8000-00000000000b";
    private static final String D = "00000000-0000-4000-8000-00000000000d";

    private static final long T = System.currentTimeMillis() << Hlc.COUNTER_BITS;

    @Test
    void aHeldWriteMadeOnAHeldWriteOfItsWriterIsCheckedOnTheFirstOnesBase() {
        String url = Postgres.freshDatabase();
        exec(
                url,
                "CREATE TABLE parent (id bigint PRIMARY KEY, name text)",
                "CREATE TABLE child (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent (id), note text)");
        try (ShuttleDatabase db = ShuttleDatabase.open(url)) {
            Capture.enable(
                    db,
                    CaptureOptions.builder()
                            .tables("parent", "child")
                            .policy("child", ConflictPolicy.VERSION_STRICT)
                            .build(),
                    ProgressListener.NONE);
        }
        try (ShuttleDatabase db = ShuttleDatabase.open(url)) {
            Applier applier = EngineAccess.context(SyncEngine.open(db)).applier();
            apply(db, applier, D, upsert("parent", 8, Map.of("name", "p8"), 100, D, 1, 0));
            // A's new child of parent 7, which the hub lacks: held; then A's next write of it, on it: held
            Applier.Outcome first = apply(db, applier, A, child(7, "a first", 110, A, 1, 0));
            Applier.Outcome next = apply(db, applier, A, child(7, "a next", 120, A, 2, 1));
            assertThat(first.pending()).isEqualTo(1);
            assertThat(next.pending()).isEqualTo(1);
            // B's own new child 10 (of parent 8) is taken: version 1, as A's first
            Applier.Outcome b = apply(db, applier, B, child(8, "b", 130, B, 1, 0));
            assertThat(b.applied()).isEqualTo(1);
            // parent 7 comes: A's held write is released, and was not made on B's row
            apply(db, applier, D, upsert("parent", 7, Map.of("name", "p7"), 140, D, 1, 0));
        }
        assertThat(query(url, "SELECT parent_id, note FROM child WHERE id = 10"))
                .as("B's row stands: A's write was made on A's own first row, which the hub never took")
                .containsExactly(Map.of("parent_id", 8L, "note", "b"));
    }

    private static Applier.Outcome apply(ShuttleDatabase db, Applier applier, String from, Change change) {
        return db.transaction(c -> applier.apply(c, List.of(change), from, Role.HUB));
    }

    private static Change child(long parent, String note, long at, String origin, long version, long base) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("parent_id", parent);
        values.put("note", note);
        return upsert("child", 10, values, at, origin, version, base);
    }

    private static Change upsert(
            String table, long id, Map<String, Object> columns, long at, String origin, long version, long base) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("id", id);
        values.putAll(columns);
        return new Change(table, List.of(id), Op.UPSERT, values, T + at, origin, version, base, Map.of());
    }
}
