package io.shuttlebridge.core.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.SqliteFiles;
import io.shuttlebridge.core.sync.SyncEngine;
import java.nio.file.Path;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A database given its identity when sync is first enabled, and connections prepared as they open. */
class NodeIdentityTest {
    @TempDir
    Path dir;

    @Test
    void theGivenIdentityIsTakenWhenTheDatabaseHasNoneAndKeptAfterwards() {
        Path f = dir.resolve("node.db");
        SqliteFiles.exec(f, "CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)");
        UUID first = UUID.fromString("00000000-0000-4000-8000-000000000001");
        UUID second = UUID.fromString("00000000-0000-4000-8000-000000000002");
        try (ShuttleDatabase db = ShuttleDatabase.sqlite(f)) {
            assertThat(Capture.enable(
                                    db, CaptureOptions.builder().nodeUuid(first).build())
                            .nodeUuid())
                    .isEqualTo(first.toString());
            assertThat(Capture.enable(
                                    db,
                                    CaptureOptions.builder().nodeUuid(second).build())
                            .nodeUuid())
                    .isEqualTo(first.toString());
            assertThat(SyncEngine.open(db).nodeUuid()).isEqualTo(first.toString());
        }
    }

    @Test
    void toBuilderKeepsEveryOption() {
        CaptureOptions given = CaptureOptions.builder()
                .tables("note")
                .excludeColumn("note", "body")
                .scopeColumn("note", "owner")
                .build();
        UUID id = UUID.randomUUID();
        CaptureOptions more = given.toBuilder().nodeUuid(id).build();
        assertThat(more.tables()).isEqualTo(given.tables());
        assertThat(more.excludedColumns()).isEqualTo(given.excludedColumns());
        assertThat(more.scopeColumn("note")).isEqualTo("owner");
        assertThat(more.nodeUuid()).isEqualTo(id);
        assertThat(given.nodeUuid()).isNull();
    }

    @Test
    void everyConnectionTheDatabaseOpensIsPreparedFirst() throws Exception {
        Path f = dir.resolve("prepared.db");
        AtomicInteger prepared = new AtomicInteger();
        try (ShuttleDatabase db = ShuttleDatabase.open(f.toString(), new Properties(), c -> {
            prepared.incrementAndGet();
            try (var s = c.createStatement()) {
                s.execute("PRAGMA user_version = 7");
            }
        })) {
            int version = db.read(c -> {
                try (var s = c.createStatement();
                        var rs = s.executeQuery("PRAGMA user_version")) {
                    rs.next();
                    return rs.getInt(1);
                }
            });
            assertThat(version).isEqualTo(7);
            db.newConnection().close();
        }
        assertThat(prepared).hasValue(2);
    }
}
