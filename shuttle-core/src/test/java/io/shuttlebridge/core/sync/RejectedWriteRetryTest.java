package io.shuttlebridge.core.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.capture.CaptureOptions;
import io.shuttlebridge.core.change.Op;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A device's rejected writes queued again ({@link SyncEngine#retryRejected}): a refused delete puts the
 * hub's row back, and a retry deletes it again and pushes the delete; refused again, it is a new
 * rejected write; once the hub takes it, it is stored. A delete of a row the device no longer has is
 * not retried, nor is an unknown id.
 */
class RejectedWriteRetryTest {
    @TempDir
    Path dir;

    @Test
    void aRefusedDeleteIsRetriedUntilTheHubTakesIt() {
        try (ShuttleDatabase hubDb = ShuttleDatabase.sqlite(dir.resolve("hub.db"));
                ShuttleDatabase device = ShuttleDatabase.sqlite(dir.resolve("device.db"))) {
            hubDb.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, code TEXT)");
            // the hub's own invoices hold their items in place; devices do not have them
            hubDb.execute("CREATE TABLE invoice_line (id INTEGER PRIMARY KEY, item_id INTEGER REFERENCES item(id))");
            hubDb.execute("INSERT INTO item VALUES (1, 'A1'), (2, 'B2')");
            hubDb.execute("INSERT INTO invoice_line VALUES (100, 1)");
            Capture.enable(hubDb, CaptureOptions.builder().tables("item").build());
            InProcessTransport hub = new InProcessTransport(SyncEngine.open(hubDb));
            device.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, code TEXT)");
            device.execute("CREATE TABLE draft (id INTEGER PRIMARY KEY, body TEXT)");
            Capture.enable(device);
            SyncEngine engine = SyncEngine.open(device);
            engine.pullThenPush(hub);

            device.execute("DELETE FROM item WHERE id = 1");
            device.execute("DELETE FROM item WHERE id = 2");
            assertThat(engine.pullThenPush(hub).pushed()).isEqualTo(1);
            RejectedWrite refused = engine.rejectedWrites(true).get(0);
            assertThat(refused.op()).isEqualTo(Op.DELETE);
            assertThat(refused.code()).isEqualTo(ErrorCode.CONSTRAINT);
            assertThat(refused.message()).contains("the delete of the row of \"item\" with key [1]");
            assertThat(codes(device)).as("the hub's row is back").containsExactly("A1");

            engine.retryRejected(refused.id());
            assertThat(codes(device)).isEmpty();
            engine.pullThenPush(hub);
            List<RejectedWrite> open = engine.rejectedWrites(true);
            assertThat(open).singleElement().satisfies(w -> assertThat(w.id()).isNotEqualTo(refused.id()));
            assertThat(codes(device)).containsExactly("A1");

            hubDb.execute("DELETE FROM invoice_line");
            engine.retryRejected(open.get(0).id());
            assertThat(engine.pullThenPush(hub).pushed()).isEqualTo(1);
            assertThat(codes(hubDb)).isEmpty();
            assertThat(engine.rejectedWrites(true)).isEmpty();
            assertThat(engine.rejectedWrites(false))
                    .extracting(RejectedWrite::status)
                    .containsExactly("retried", "retried");

            // a table the hub does not have: written, then deleted, before a sync; the delete is refused
            device.execute("INSERT INTO draft VALUES (1, 'first thoughts')");
            device.execute("DELETE FROM draft WHERE id = 1");
            engine.pullThenPush(hub);
            RejectedWrite draft = engine.rejectedWrites(true).get(0);
            assertThat(draft.code()).isEqualTo(ErrorCode.SCHEMA_MISMATCH);
            assertThatThrownBy(() -> engine.retryRejected(draft.id()))
                    .isInstanceOf(ShuttleException.class)
                    .hasMessageContaining("which this device does not have: there is nothing to delete again");
            assertThatThrownBy(() -> engine.retryRejected(999)).hasMessageContaining("no rejected write with id 999");
            assertThat(engine.rejectedWrites(true)).hasSize(1);
        }
    }

    private static List<String> codes(ShuttleDatabase db) {
        return db.read(c -> {
            List<String> out = new java.util.ArrayList<>();
            try (var rs = c.createStatement().executeQuery("SELECT code FROM item ORDER BY id")) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }
}
