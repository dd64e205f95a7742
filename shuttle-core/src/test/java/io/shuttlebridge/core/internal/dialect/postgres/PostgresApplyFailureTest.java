package io.shuttlebridge.core.internal.dialect.postgres;

import static io.shuttlebridge.core.Postgres.exec;
import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.Postgres;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.capture.CaptureOptions;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.sync.PushResult;
import io.shuttlebridge.core.sync.SyncEngine;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A pushed row the PostgreSQL hub cannot store (here one its CHECK constraint refuses) is refused with
 * the database's own reason, not with the "current transaction is aborted" of statements run after it,
 * and is not stored; the hub applies the next push as usual.
 */
class PostgresApplyFailureTest {

    @Test
    void aFailedApplyReportsItsCauseAndLeavesTheHubUsable() {
        String url = Postgres.freshDatabase();
        exec(
                url,
                "CREATE TABLE customer (id bigint PRIMARY KEY, name text CHECK (name <> 'refused'), city text,"
                        + " referred_by bigint REFERENCES customer(id))",
                "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customer(id), total bigint, note text)");
        try (ShuttleDatabase db = ShuttleDatabase.open(url)) {
            Capture.enable(db, CaptureOptions.allTables(), ProgressListener.NONE);
            SyncEngine hub = SyncEngine.open(db);
            String device = UUID.randomUUID().toString();
            long hlc = System.currentTimeMillis() << 16;
            Change refused = customer(1, "refused", hlc, device);
            Change order = new Change(
                    "orders",
                    List.of(10L),
                    Op.UPSERT,
                    Map.of("id", 10L, "customer_id", 1L, "total", 5L, "note", "n"),
                    hlc + 1,
                    device,
                    1,
                    0,
                    Map.of());
            // the refused row alone: the write fails when the batch's writes are sent at the end
            assertThat(hub.acceptPush(device, List.of(refused)).refused())
                    .singleElement()
                    .satisfies(x -> assertThat(x.message())
                            .contains("customer_name_check")
                            .doesNotContain("current transaction is aborted"));
            // with a child: the write fails when it is sent before the child's parent is looked up
            PushResult withChild = hub.acceptPush(device, List.of(refused, order));
            assertThat(withChild.refused())
                    .singleElement()
                    .satisfies(x -> assertThat(x.message())
                            .contains("customer_name_check")
                            .doesNotContain("current transaction is aborted"));
            assertThat(withChild.pending()).isEqualTo(1); // the child waits for its parent
            assertThat(Postgres.query(url, "SELECT id FROM customer")).isEmpty();
            assertThat(hub.acceptPush(device, List.of(customer(1, "fine", hlc + 2, device), order))
                            .applied())
                    .isEqualTo(2);
            assertThat(Postgres.query(url, "SELECT id FROM orders")).hasSize(1);
        }
    }

    private static Change customer(long id, String name, long hlc, String origin) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("id", id);
        values.put("name", name);
        values.put("city", null);
        values.put("referred_by", null);
        return new Change("customer", List.of(id), Op.UPSERT, values, hlc, origin, 1, 0, Map.of());
    }
}
