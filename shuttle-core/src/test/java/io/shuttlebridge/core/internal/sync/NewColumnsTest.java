package io.shuttlebridge.core.internal.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.change.Stamp;
import io.shuttlebridge.core.sync.Cluster;
import io.shuttlebridge.core.sync.InProcessTransport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A device's columns added when its hub's schema gained them hold none of the hub's values until it has
 * taken them: its pushes leave them out where they are NULL, so the hub keeps its values (and gives a
 * new row its default), and the next pull fills them without touching a value the device wrote itself.
 */
class NewColumnsTest {
    @TempDir
    Path dir;

    private static final Stamp S = new Stamp(1, "00000000-0000-0000-0000-000000000001");

    private static Change row(String table, Map<String, Object> values, Map<String, Stamp> stamps) {
        return new Change(table, List.of(1), Op.UPSERT, values, 1, S.origin(), 1, 0, stamps);
    }

    @Test
    void aPushedRowLeavesOutTheUnfilledColumnsThatAreNull() {
        Map<String, Object> nulls = new LinkedHashMap<>();
        nulls.put("id", 1);
        nulls.put("name", "a");
        nulls.put("qty", null);
        nulls.put("note", null);
        Map<String, Object> set = new LinkedHashMap<>(nulls);
        set.put("qty", 3);
        Map<String, Set<String>> unfilled = Map.of("item", Set.of("qty"));

        List<Change> out = NewColumns.withoutUnfilled(
                List.of(
                        row("item", nulls, Map.of("qty", S, "name", S)),
                        row("item", set, Map.of()),
                        row("other", nulls, Map.of()),
                        new Change("item", List.of(2), Op.DELETE, Map.of(), 1, S.origin(), 2, 1, Map.of())),
                unfilled);

        assertThat(out.get(0).values()).containsOnlyKeys("id", "name", "note");
        assertThat(out.get(0).columnStamps()).containsOnlyKeys("name");
        assertThat(out.get(1).values()).containsEntry("qty", 3).hasSize(4);
        assertThat(out.get(2).values()).containsKey("qty");
        assertThat(out.get(3).isDelete()).isTrue();
        assertThat(NewColumns.withoutUnfilled(out, Map.of())).isSameAs(out);
    }

    @Test
    void untilFilledTheHubKeepsItsValuesThenThePullGivesThemToTheDevice() {
        try (Cluster k = new Cluster(dir, 1, ConflictPolicy.LWW)) {
            Cluster.Node device = k.device(0);
            k.hub.sql("INSERT INTO customer (id, name) VALUES (1, 'Ada'), (4, 'Dee')");
            k.sync(device);
            k.hub.sql("ALTER TABLE customer ADD COLUMN qty INTEGER DEFAULT 7");
            k.hub.engine().refreshSchema();
            // the device adds the column as following the hub's schema does, and notes it unfilled
            device.sql("ALTER TABLE customer ADD COLUMN qty INTEGER");
            device.db().transaction(c -> {
                NewColumns.add(c, "customer", List.of("qty"));
                return null;
            });
            device.engine().refreshSchema();
            device.sql(
                    "UPDATE customer SET name = 'Ada L' WHERE id = 1",
                    "UPDATE customer SET qty = 5 WHERE id = 4",
                    "INSERT INTO customer (id, name, qty) VALUES (2, 'Bob', 3)",
                    "INSERT INTO customer (id, name) VALUES (3, 'Cy')");

            // pushed before any fill (as a device recovering a restored hub pushes first)
            EngineContext ctx = EngineAccess.context(device.engine());
            new PushPipeline(ctx)
                    .push(new InProcessTransport(k.hub.engine()), k.hub.engine().nodeUuid(), new SyncTally());
            assertThat(qty(k.hub)).containsExactly("1|Ada L|7", "2|Bob|3", "3|Cy|7", "4|Dee|5");
            assertThat(qty(device)).containsExactly("1|Ada L|null", "2|Bob|3", "3|Cy|null", "4|Dee|5");

            k.sync(device);
            assertThat(qty(device)).containsExactly("1|Ada L|7", "2|Bob|3", "3|Cy|7", "4|Dee|5");
            assertThat(device.db().read(NewColumns::pending)).isEmpty();
            assertThat(k.sync(device).pushed()).as("the fill is not captured").isZero();
        }
    }

    /**
     * Columns the hub announced it has not filled itself (a store hub of a tier) stay noted unfilled through a
     * fill, until the hub no longer announces them; a clone from such a hub notes them too.
     */
    @Test
    void columnsTheHubHasNotFilledItselfStayUnfilledUntilItHas() {
        try (Cluster k = new Cluster(dir, 1, ConflictPolicy.LWW)) {
            var db = k.device(0).db();
            db.transaction(c -> {
                NewColumns.add(c, "customer", List.of("qty", "note"));
                NewColumns.hubUnfilled(c, "customer", List.of("qty", "other"));
                return null;
            });
            assertThat(awaited(db)).containsExactly("qty");
            assertThat(db.read(NewColumns::awaitingHub)).isTrue();

            db.transaction(c -> {
                NewColumns.filledAsTheHubIs(c, "customer");
                return null;
            });
            assertThat(db.read(NewColumns::pending)).isEqualTo(Map.of("customer", Set.of("qty")));
            assertThat(db.read(NewColumns::awaitingHub)).isTrue();

            db.transaction(c -> {
                NewColumns.hubUnfilled(c, "customer", List.of()); // the hub has them now
                return null;
            });
            assertThat(db.read(NewColumns::awaitingHub)).isFalse();
            db.transaction(c -> {
                NewColumns.filledAsTheHubIs(c, "customer");
                return null;
            });
            assertThat(db.read(NewColumns::pending)).isEmpty();

            db.transaction(c -> {
                NewColumns.clonedUnfilled(c, "customer", List.of("note"));
                return null;
            });
            assertThat(db.read(NewColumns::pending)).isEqualTo(Map.of("customer", Set.of("note")));
            assertThat(awaited(db)).containsExactly("note");
            db.transaction(c -> {
                NewColumns.filled(c, "customer");
                return null;
            });
            assertThat(db.read(NewColumns::awaitingHub)).isFalse();
        }
    }

    private static Set<String> awaited(io.shuttlebridge.core.ShuttleDatabase db) {
        return db.read(c -> NewColumns.awaitedFromHub(c, "customer"));
    }

    private static List<String> qty(Cluster.Node n) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> r : n.rows("customer")) {
            out.add(r.get("id") + "|" + r.get("name") + "|" + r.get("qty"));
        }
        return out;
    }
}
