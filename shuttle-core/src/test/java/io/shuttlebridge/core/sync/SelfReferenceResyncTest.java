package io.shuttlebridge.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.SqliteFiles;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.capture.CaptureOptions;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Found by the randomized simulation with restores: a device resyncing behind the hub's purge horizon never
 * removed a row the hub had deleted meanwhile when the row referred to itself (or to another row going with
 * it, in a cycle): the rule that keeps a row the device's own rows still refer to counted the row itself.
 */
class SelfReferenceResyncTest {
    private static final String SCHEMA =
            "CREATE TABLE category (id INTEGER PRIMARY KEY, label TEXT, parent INTEGER REFERENCES category (id))";

    @TempDir
    Path dir;

    private ShuttleDatabase open(String name) {
        Path f = dir.resolve(name + ".db");
        SqliteFiles.exec(f, SCHEMA);
        ShuttleDatabase db = ShuttleDatabase.sqlite(f);
        Capture.enable(db, CaptureOptions.builder().build(), ProgressListener.NONE);
        return db;
    }

    @Test
    void aResyncRemovesRowsThatReferToThemselvesOrToEachOther() {
        try (ShuttleDatabase hubDb = open("hub");
                ShuttleDatabase device = open("device")) {
            SyncEngine hub = SyncEngine.open(hubDb);
            hubDb.execute("INSERT INTO category VALUES (1, 'itself', 1)");
            hubDb.execute("INSERT INTO category VALUES (2, 'two', NULL)");
            hubDb.execute("INSERT INTO category VALUES (3, 'three', 2)");
            hubDb.execute("UPDATE category SET parent = 3 WHERE id = 2"); // 2 and 3 refer to each other
            hubDb.execute("INSERT INTO category VALUES (4, 'stays', NULL)");
            SyncEngine engine = SyncEngine.open(device);
            engine.pullThenPush(new InProcessTransport(hub));
            assertThat(ids(device)).containsExactly(1L, 2L, 3L, 4L);

            // while the device is away the rows are deleted, and its cursor lost, so the tombstones are purged
            hubDb.execute("UPDATE category SET parent = NULL WHERE id IN (1, 2, 3)");
            hubDb.execute("DELETE FROM category WHERE id IN (1, 2, 3)");
            hubDb.execute("DELETE FROM _shuttle_peers WHERE peer = ?", engine.nodeUuid());
            hubDb.execute("INSERT INTO _shuttle_peers (peer, acked) VALUES ('someone-else', 1000000)");
            assertThat(hub.purgeTombstones()).isEqualTo(3);

            device.execute("INSERT INTO category VALUES (5, 'written while away', 5)");
            SyncReport r = engine.pullThenPush(new InProcessTransport(hub));
            assertThat(r.resynced()).isTrue();
            assertThat(ids(device)).containsExactly(4L, 5L).isEqualTo(ids(hubDb));
        }
    }

    /** Rows a row of this device's own still refers to stay, up the chain, even rows going with them would not. */
    @Test
    void aResyncKeepsTheChainAnUnpushedRowRefersTo() {
        try (ShuttleDatabase hubDb = open("hub");
                ShuttleDatabase device = open("device")) {
            SyncEngine hub = SyncEngine.open(hubDb);
            hubDb.execute("INSERT INTO category VALUES (10, 'top', 10)");
            hubDb.execute("INSERT INTO category VALUES (11, 'middle', 10)");
            hubDb.execute("INSERT INTO category VALUES (20, 'goes', NULL)");
            SyncEngine engine = SyncEngine.open(device);
            engine.pullThenPush(new InProcessTransport(hub));

            hubDb.execute("DELETE FROM category WHERE id IN (11, 20)");
            hubDb.execute("UPDATE category SET parent = NULL WHERE id = 10");
            hubDb.execute("DELETE FROM category WHERE id = 10");
            hubDb.execute("DELETE FROM _shuttle_peers WHERE peer = ?", engine.nodeUuid());
            hubDb.execute("INSERT INTO _shuttle_peers (peer, acked) VALUES ('someone-else', 1000000)");
            assertThat(hub.purgeTombstones()).isEqualTo(3);
            device.execute("INSERT INTO category VALUES (12, 'written while away', 11)");

            Transport pullOnly = new Transport() {
                private final InProcessTransport in = new InProcessTransport(hub);

                @Override
                public String hubNode() {
                    return in.hubNode();
                }

                @Override
                public PushResult push(String fromNode, List<io.shuttlebridge.core.change.Change> changes) {
                    throw new io.shuttlebridge.core.ShuttleException(
                            io.shuttlebridge.core.ErrorCode.TRANSPORT, "not now");
                }

                @Override
                public PullResult pull(String forNode, long since, int limit) {
                    return in.pull(forNode, since, limit);
                }

                @Override
                public PullResult snapshot(String forNode, long after, int limit) {
                    return in.snapshot(forNode, after, limit);
                }
            };
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> engine.pullThenPush(pullOnly))
                    .hasMessageContaining("not now");
            assertThat(ids(device))
                    .as("the resync kept 12's parent and its parent")
                    .containsExactly(10L, 11L, 12L);
        }
    }

    private static List<Long> ids(ShuttleDatabase db) {
        return db.read(c -> {
            try (var st = c.createStatement();
                    var rs = st.executeQuery("SELECT id FROM category ORDER BY id")) {
                List<Long> out = new java.util.ArrayList<>();
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
                return out;
            }
        });
    }
}
