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
import io.shuttlebridge.core.sync.ConflictRecord;
import io.shuttlebridge.core.sync.SyncEngine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The pushes of a group applied as the parts of one apply end as they would applied one after the
 * other, each in its own transaction: the same outcome for each (applied, duplicates, superseded,
 * held, conflicts, rejected stamps), the same rows, the same feed entries in the same order, the same
 * conflict records and held changes. The parts write the same rows: an older write after a newer one,
 * a change sent twice, a delete of another part's row, a concurrent write under VERSION_STRICT, a
 * child whose parent arrives in a later part.
 */
class ApplyPartsTest {
    private static final String A = "00000000-0000-4000-8000-00000000000a";
    private static final String B = "00000000-0000-4000-8000-00000000000b";
    private static final String C = "00000000-0000-4000-8000-00000000000c";
    private static final String D = "00000000-0000-4000-8000-00000000000d";

    private static final long T = System.currentTimeMillis() << Hlc.COUNTER_BITS;

    @Test
    void partsAppliedTogetherEndAsAppliedOneAfterTheOther() {
        List<Applier.Part> parts = List.of(
                part(A, upsert("item", 1, "name", "a1", 100, A, 1, 0), upsert("item", 2, "name", "a2", 101, A, 1, 0)),
                part(A, upsert("note", 1, "body", "from a", 102, A, 1, 0)),
                part(
                        B,
                        upsert("item", 1, "name", "b1 older", 90, B, 1, 0),
                        upsert("item", 3, "name", "b3", 103, B, 1, 0),
                        upsert("note", 1, "body", "from b", 104, B, 1, 0)),
                part(A, upsert("item", 2, "name", "a2", 101, A, 1, 0), delete("item", 3, 110, A, 2, 1)),
                part(C, upsert("child", 10, "parent_id", 7L, 120, C, 1, 0)),
                part(D, upsert("parent", 7, "name", "p7", 130, D, 1, 0)),
                part(B, upsert("item", 1, "name", "b1 later", 200, B, 2, 1)));

        String oneByOne = hub();
        String together = hub();
        List<Applier.Outcome> alone = new ArrayList<>();
        try (ShuttleDatabase db = ShuttleDatabase.open(oneByOne)) {
            Applier applier = EngineAccess.context(SyncEngine.open(db)).applier();
            for (Applier.Part p : parts) {
                alone.add(db.transaction(c -> applier.apply(c, p.changes(), p.fromPeer(), Role.HUB)));
            }
        }
        List<Applier.Outcome> grouped;
        try (ShuttleDatabase db = ShuttleDatabase.open(together)) {
            Applier applier = EngineAccess.context(SyncEngine.open(db)).applier();
            grouped = db.transaction(c -> applier.applyParts(c, parts, Role.HUB));
        }

        assertThat(grouped).hasSameSizeAs(parts);
        for (int i = 0; i < parts.size(); i++) {
            Applier.Outcome x = alone.get(i);
            Applier.Outcome y = grouped.get(i);
            assertThat(List.of(y.applied(), y.duplicates(), y.superseded(), y.pending()))
                    .as("part %d: applied, duplicates, superseded, held", i)
                    .isEqualTo(List.of(x.applied(), x.duplicates(), x.superseded(), x.pending()));
            assertThat(y.rejected()).as("part %d rejected", i).isEqualTo(x.rejected());
            assertThat(y.conflicts())
                    .as("part %d conflicts", i)
                    .extracting(ConflictRecord::table, ConflictRecord::key)
                    .isEqualTo(x.conflicts().stream()
                            .map(r -> org.assertj.core.groups.Tuple.tuple(r.table(), r.key()))
                            .toList());
        }
        // the scenario does what it says: something superseded, a duplicate, a conflict, a change held then released
        assertThat(alone.get(2).superseded()).isEqualTo(1);
        assertThat(alone.get(2).conflicts()).hasSize(1);
        assertThat(alone.get(3).duplicates()).isEqualTo(1);
        assertThat(alone.get(4).pending()).isEqualTo(1);
        assertThat(alone.get(5).pending()).isZero();

        for (String table : List.of("item", "note", "parent", "child")) {
            assertThat(query(together, "SELECT t::text AS row FROM " + table + " t ORDER BY t::text"))
                    .as(table)
                    .isEqualTo(query(oneByOne, "SELECT t::text AS row FROM " + table + " t ORDER BY t::text"));
        }
        String feed =
                "SELECT t.name, f.pk, f.op, f.hlc, n.uuid AS origin, f.version, v.uuid AS via FROM _shuttle_feed f"
                        + " JOIN _shuttle_tables t ON t.id = f.tbl JOIN _shuttle_nodes n ON n.id = f.origin"
                        + " LEFT JOIN _shuttle_nodes v ON v.id = f.via ORDER BY f.seq";
        assertThat(query(together, feed)).as("feed entries in seq order").isEqualTo(query(oneByOne, feed));
        String conflicts = "SELECT tbl, key_json, status FROM _shuttle_conflicts ORDER BY tbl, key_json";
        assertThat(query(together, conflicts))
                .isEqualTo(query(oneByOne, conflicts))
                .hasSize(1);
        String held = "SELECT tbl, key_json FROM _shuttle_pending ORDER BY tbl, key_json";
        assertThat(query(together, held)).isEqualTo(query(oneByOne, held)).isEmpty();
    }

    private static String hub() {
        String url = Postgres.freshDatabase();
        exec(
                url,
                "CREATE TABLE item (id bigint PRIMARY KEY, name text)",
                "CREATE TABLE note (id bigint PRIMARY KEY, body text)",
                "CREATE TABLE parent (id bigint PRIMARY KEY, name text)",
                "CREATE TABLE child (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent (id))");
        try (ShuttleDatabase db = ShuttleDatabase.open(url)) {
            Capture.enable(
                    db,
                    CaptureOptions.builder()
                            .tables("item", "note", "parent", "child")
                            .policy("note", ConflictPolicy.VERSION_STRICT)
                            .build(),
                    ProgressListener.NONE);
        }
        return url;
    }

    private static Applier.Part part(String from, Change... changes) {
        return new Applier.Part(from, List.of(changes));
    }

    private static Change upsert(
            String table, long id, String column, Object value, long at, String origin, long version, long base) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("id", id);
        values.put(column, value);
        return new Change(table, List.of(id), Op.UPSERT, values, T + at, origin, version, base, Map.of());
    }

    private static Change delete(String table, long id, long at, String origin, long version, long base) {
        return new Change(table, List.of(id), Op.DELETE, Map.of(), T + at, origin, version, base, Map.of());
    }
}
