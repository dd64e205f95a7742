package io.shuttlebridge.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.Postgres;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.sync.RejectedWrite;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.core.sync.SyncReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Poison changes never block a device's queue (issue 15, item 2), over HTTP on SQLite and PostgreSQL
 * hubs: a change the hub's database refuses for good (a constraint only the hub has, a value too large
 * for the hub's column, a column the hub does not have) comes back as a rejected write with its code,
 * the changes around it are stored, the next sync sends nothing more, and once the hub is fixed the
 * rejected write is queued again and goes through.
 */
class PoisonChangesIT {
    @TempDir
    Path dir;

    /** The hub: a unique code and a code of at most 8 characters the device's tables do not know of; tags without colors. */
    private ShuttleDatabase hub(String kind) {
        ShuttleDatabase db = kind.equals("sqlite")
                ? ShuttleDatabase.sqlite(dir.resolve("hub.db"))
                : ShuttleDatabase.open(Postgres.freshDatabase());
        db.execute("CREATE TABLE item (id BIGINT PRIMARY KEY, code VARCHAR(8) NOT NULL, qty INTEGER)");
        db.execute("CREATE UNIQUE INDEX item_code_key ON item (code)");
        db.execute("CREATE TABLE tag (id BIGINT PRIMARY KEY, name TEXT)");
        db.execute("INSERT INTO item VALUES (1, 'A1', 1)");
        Capture.enable(db);
        return db;
    }

    /** A device of a newer release of the app: tags have colors; and none of the hub's constraints. */
    private ShuttleDatabase device() {
        ShuttleDatabase db = ShuttleDatabase.sqlite(dir.resolve("device.db"));
        db.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, code TEXT NOT NULL, qty INTEGER)");
        db.execute("CREATE TABLE tag (id INTEGER PRIMARY KEY, name TEXT, color TEXT)");
        Capture.enable(db);
        return db;
    }

    @ParameterizedTest(name = "hub on {0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aChangeTheHubRefusesIsARejectedWriteAndTheQueueGoesOn(String kind) throws Exception {
        try (ShuttleDatabase hubDb = hub(kind);
                HubServer hub = Fixtures.start(SyncEngine.open(hubDb));
                ShuttleDatabase device = device()) {
            HttpTransport http = Fixtures.transport(hub);
            SyncEngine engine = SyncEngine.open(device);
            engine.pullThenPush(http);
            assertThat(items(device)).containsExactly("1|A1|1");

            // three changes, the middle one taking a code the hub already has
            device.execute("INSERT INTO item VALUES (10, 'OK1', 1)");
            device.execute("INSERT INTO item VALUES (11, 'A1', 2)");
            device.execute("INSERT INTO item VALUES (12, 'OK2', 3)");
            SyncReport first = engine.pullThenPush(http);

            assertThat(first.pushed()).isEqualTo(2);
            assertThat(items(hubDb)).containsExactly("1|A1|1", "10|OK1|1", "12|OK2|3");
            List<RejectedWrite> rejected = engine.rejectedWrites(true);
            assertThat(rejected).hasSize(1);
            RejectedWrite taken = rejected.get(0);
            assertThat(taken.table()).isEqualTo("item");
            assertThat(taken.key()).containsExactly(11L);
            assertThat(taken.code()).isEqualTo(ErrorCode.CONSTRAINT);
            assertThat(taken.message()).contains(kind.equals("sqlite") ? "item.code" : "\"item_code_key\"");
            assertThat(taken.values()).containsEntry("code", "A1");
            // the hub holds no such row: the device removes its own, and keeps it in the rejected write
            assertThat(items(device)).containsExactly("1|A1|1", "10|OK1|1", "12|OK2|3");

            // the next sync sends nothing more, and the refusal is not recorded twice
            SyncReport next = engine.pullThenPush(http);
            assertThat(next.pushed()).isZero();
            assertThat(next.pushDuplicates()).isZero();
            assertThat(engine.rejectedWrites(true)).hasSize(1);

            // a value too long for the hub's column, and a column the hub does not have, among good writes
            device.execute("INSERT INTO item VALUES (13, 'TWELVE-CHARS', 4)");
            device.execute("INSERT INTO tag VALUES (1, 'urgent', 'red')");
            device.execute("INSERT INTO item VALUES (14, 'OK3', 5)");
            engine.pullThenPush(http);
            List<RejectedWrite> now = engine.rejectedWrites(true);
            RejectedWrite colored = only(now, "tag");
            assertThat(colored.code()).isEqualTo(ErrorCode.SCHEMA_MISMATCH);
            assertThat(colored.message()).contains("column \"color\" of table \"tag\"");
            assertThat(tags(device))
                    .as("the device keeps a row of a schema the hub lacks")
                    .containsExactly("1|urgent");
            if (kind.equals("sqlite")) {
                // SQLite stores any length in a VARCHAR(8): nothing to refuse there
                assertThat(now).hasSize(2);
                assertThat(items(hubDb)).contains("13|TWELVE-CHARS|4", "14|OK3|5");
            } else {
                assertThat(now).hasSize(3);
                RejectedWrite longCode = now.stream()
                        .filter(w -> w.key().equals(List.of(13L)))
                        .findFirst()
                        .orElseThrow();
                assertThat(longCode.code()).isEqualTo(ErrorCode.VALUE_TOO_LARGE);
                assertThat(longCode.message()).contains("column \"code\" of \"item\" is character varying(8)");
                assertThat(items(hubDb)).contains("14|OK3|5").doesNotContain("13|TWELVE-CHARS|4");
            }
            assertThat(tags(hubDb)).isEmpty();

            // the hub's constraint is dropped: the rejected write is queued again and goes through
            hubDb.execute("DROP INDEX item_code_key");
            RejectedWrite retried = engine.retryRejected(taken.id());
            assertThat(retried.status()).isEqualTo("retried");
            assertThat(items(device)).contains("11|A1|2");
            SyncReport after = engine.pullThenPush(http);
            assertThat(after.pushed()).isEqualTo(1);
            assertThat(items(hubDb)).contains("1|A1|1", "11|A1|2");
            assertThat(engine.rejectedWrites(true)).noneMatch(w -> w.id() == taken.id());
            assertThatThrownBy(() -> engine.retryRejected(taken.id())).hasMessageContaining("queued again already");

            if (kind.equals("postgresql")) {
                // the hub's column is widened: the long code goes through too
                hubDb.execute("ALTER TABLE item ALTER COLUMN code TYPE VARCHAR(20)");
                long id = engine.rejectedWrites(true).stream()
                        .filter(w -> w.code() == ErrorCode.VALUE_TOO_LARGE)
                        .findFirst()
                        .orElseThrow()
                        .id();
                engine.retryRejected(id);
                assertThat(engine.pullThenPush(http).pushed()).isEqualTo(1);
                assertThat(items(hubDb)).contains("13|TWELVE-CHARS|4");
            }
            // the hub still has no color: a retry is refused again, as a new rejected write of its own (the
            // widened column above is a schema change, after which the device may have queued it again itself)
            if (engine.rejectedWrites(true).stream().anyMatch(w -> w.id() == colored.id())) {
                engine.retryRejected(colored.id());
            }
            engine.pullThenPush(http);
            RejectedWrite again = only(engine.rejectedWrites(true), "tag");
            assertThat(again.id()).isNotEqualTo(colored.id());
            assertThat(again.code()).isEqualTo(ErrorCode.SCHEMA_MISMATCH);
            assertThat(engine.rejectedWrites(true)).hasSize(1);
            assertThat(engine.pullThenPush(http).pushed()).isZero();
        }
    }

    private static RejectedWrite only(List<RejectedWrite> writes, String table) {
        List<RejectedWrite> of =
                writes.stream().filter(w -> w.table().equals(table)).toList();
        assertThat(of).as(writes.toString()).hasSize(1);
        return of.get(0);
    }

    private static List<String> items(ShuttleDatabase db) {
        return rows(db, "SELECT id, code, qty FROM item ORDER BY id");
    }

    private static List<String> tags(ShuttleDatabase db) {
        return rows(db, "SELECT id, name FROM tag ORDER BY id");
    }

    private static List<String> rows(ShuttleDatabase db, String sql) {
        return db.read(c -> {
            List<String> out = new ArrayList<>();
            try (var rs = c.createStatement().executeQuery(sql)) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int i = 1; i <= n; i++) {
                        row.append(i == 1 ? "" : "|").append(rs.getString(i));
                    }
                    out.add(row.toString());
                }
            }
            return out;
        });
    }
}
