package io.shuttlebridge.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.Postgres;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.id.Hlc;
import io.shuttlebridge.core.internal.sync.EngineAccess;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A pushed change to a table with a destructive schema change pending on the hub (a column renamed with
 * plain SQL, not accepted), which the hub's database refuses, is refused alone as {@code SCHEMA_MISMATCH}
 * naming the change, and the rest of the batch is applied; while the change is pending the hub announces
 * another schema version than its captured schema's, and the same again once it is undone.
 */
class PendingSchemaChangeTest {
    @TempDir
    Path dir;

    private final String device = UUID.randomUUID().toString();
    private long clock = System.currentTimeMillis() + 60_000;

    @ParameterizedTest(name = "hub on {0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void theChangesToTheChangedTableAreRefusedAloneUntilTheChangeIsUndone(String kind) {
        try (ShuttleDatabase db = kind.equals("sqlite")
                ? ShuttleDatabase.sqlite(dir.resolve("hub.db"))
                : ShuttleDatabase.open(Postgres.freshDatabase())) {
            db.execute("CREATE TABLE item (id BIGINT PRIMARY KEY, name VARCHAR(40))");
            db.execute("CREATE TABLE tag (id BIGINT PRIMARY KEY, label VARCHAR(40))");
            Capture.enable(db);
            SyncEngine hub = SyncEngine.open(db);
            hub.refreshSchema();
            long version = hub.schemaVersion();
            assertThat(announced(hub)).isEqualTo(version);

            db.execute("ALTER TABLE item RENAME COLUMN name TO title");
            hub.refreshSchema();
            assertThat(hub.schemaVersion()).as("the captured shape is served").isEqualTo(version);
            assertThat(announced(hub)).as("the pending change is announced").isNotEqualTo(version);

            PushResult r = hub.acceptPush(
                    device,
                    List.of(
                            upsert("item", 1, "name", "one"),
                            upsert("tag", 7, "label", "red"),
                            upsert("item", 2, "name", "two")));
            assertThat(r.applied()).isEqualTo(1);
            assertThat(r.refused())
                    .extracting(PushResult.Refusal::index, PushResult.Refusal::code)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(0, ErrorCode.SCHEMA_MISMATCH),
                            org.assertj.core.groups.Tuple.tuple(2, ErrorCode.SCHEMA_MISMATCH));
            assertThat(r.refused().get(0).message())
                    .contains("the hub's table \"item\" has a schema change made with plain SQL that the hub has not"
                            + " taken")
                    .contains("column \"item\".\"name\" was renamed to \"title\"")
                    .contains("'shuttle schema apply --db DB --accept-destructive item'");
            assertThat(count(db, "tag")).isEqualTo(1);
            assertThat(count(db, "item")).isZero();

            db.execute("ALTER TABLE item RENAME COLUMN title TO name");
            hub.refreshSchema();
            assertThat(announced(hub))
                    .as("back to the captured schema's version")
                    .isEqualTo(version);
            PushResult again = hub.acceptPush(device, List.of(upsert("item", 1, "name", "one")));
            assertThat(again.refused()).isEmpty();
            assertThat(again.applied()).isEqualTo(1);
            assertThat(count(db, "item")).isEqualTo(1);
        }
    }

    private static long announced(SyncEngine hub) {
        return EngineAccess.context(hub).announcedSchemaVersion();
    }

    private static long count(ShuttleDatabase db, String table) {
        return db.read(c -> {
            try (var rs = c.createStatement().executeQuery("SELECT count(*) FROM " + table)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private Change upsert(String table, long id, String column, String value) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("id", id);
        values.put(column, value);
        return new Change(table, List.of(id), Op.UPSERT, values, Hlc.pack(++clock, 0), device, 1, 0, Map.of());
    }
}
