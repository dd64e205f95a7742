package io.shuttlebridge.core.internal.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.internal.Jdbc;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshot cursors name the position they were handed out for, to their node, until they expire. */
class SnapshotCursorsTest {
    private static final long NOW = 1_764_900_000_000L; // 2025-12-05
    private static final String NODE = "0f9c1a52-7f43-4a39-9a57-5d1c1e2a0b11";

    @TempDir
    Path dir;

    @Test
    void aCursorNamesItsPositionWithEveryKindOfStoredKey() {
        try (ShuttleDatabase db = database()) {
            for (Object key : new Object[] {
                "42", 42L, 4.5, new BigDecimal("12.50"), new byte[] {1, 2, (byte) 0xff}, "[\"7\", \"alice\"]", null
            }) {
                SnapshotCursors.Position p = new SnapshotCursors.Position(NODE, 1234, "item", key, 5000, 0, 10_000);
                long cursor = db.transaction(c -> SnapshotCursors.save(c, p, NOW));
                assertThat(FilteredSnapshot.isCursor(cursor)).isTrue();
                assertThat(cursor).isBetween(1L << 52, (1L << 53) - 1);
                SnapshotCursors.Position back = load(db, cursor, NODE, NOW).orElseThrow();
                assertThat(back).usingRecursiveComparison().isEqualTo(p);
            }
            SnapshotCursors.Position tombstones = new SnapshotCursors.Position(NODE, 1234, null, null, 0, 77);
            long cursor = db.transaction(c -> SnapshotCursors.save(c, tombstones, NOW));
            assertThat(load(db, cursor, NODE, NOW)).contains(tombstones);
        }
    }

    @Test
    void aCursorIsItsNodesOnlyAndNotForever() {
        try (ShuttleDatabase db = database()) {
            SnapshotCursors.Position p = new SnapshotCursors.Position(NODE, 9, "item", 3L, 10, 0);
            long old = db.transaction(c -> SnapshotCursors.save(c, p, NOW));
            long later = NOW + SnapshotCursors.KEEP.toMillis() - 60_000;
            long recent = db.transaction(c -> SnapshotCursors.save(c, p, later));

            assertThat(load(db, old, "another-node", NOW)).isEmpty();
            assertThat(load(db, old ^ 1, NODE, NOW)).isEmpty(); // never handed out
            assertThat(load(db, 17, NODE, NOW)).isEmpty(); // a feed seq

            long expired = NOW + SnapshotCursors.KEEP.toMillis() + 60_000;
            assertThat(load(db, old, NODE, expired)).isEmpty();
            assertThat(load(db, recent, NODE, expired)).contains(p);

            db.transaction(c -> {
                SnapshotCursors.forgetExpired(c, expired);
                return null;
            });
            Optional<Long> kept =
                    db.read(c -> Jdbc.queryLong(c, "SELECT count(*) FROM _shuttle_meta WHERE key LIKE 'snapshot:%'"));
            assertThat(kept).contains(1L);
            assertThat(load(db, recent, NODE, expired)).contains(p);
            Optional<String> node =
                    db.read(c -> Jdbc.queryString(c, "SELECT value FROM _shuttle_meta WHERE key = 'node_uuid'"));
            assertThat(node).isPresent(); // other entries stay
        }
    }

    @Test
    void aCursorKeptByAnOlderHubHasASpanFittedToNoPageSize() {
        try (ShuttleDatabase db = database()) {
            long cursor = db.transaction(
                    c -> SnapshotCursors.save(c, new SnapshotCursors.Position(NODE, 9, "item", 3L, 10, 0, 1000), NOW));
            // what a hub before spanRows kept: the same position, without the page size its span was fitted to
            db.execute(
                    "UPDATE _shuttle_meta SET value = '{\"node\":\"" + NODE
                            + "\",\"horizon\":9,\"span\":10,\"table\":\"item\",\"key\":{\"i\":3}}' WHERE key LIKE 'snapshot:%'");
            assertThat(load(db, cursor, NODE, NOW))
                    .contains(new SnapshotCursors.Position(NODE, 9, "item", 3L, 10, 0, 0));
        }
    }

    private static Optional<SnapshotCursors.Position> load(ShuttleDatabase db, long cursor, String node, long now) {
        return db.read(c -> SnapshotCursors.load(c, cursor, node, now));
    }

    private ShuttleDatabase database() {
        ShuttleDatabase db = ShuttleDatabase.sqlite(dir.resolve("hub.db"));
        db.execute("CREATE TABLE item (id INTEGER PRIMARY KEY)");
        Capture.enable(db);
        return db;
    }
}
