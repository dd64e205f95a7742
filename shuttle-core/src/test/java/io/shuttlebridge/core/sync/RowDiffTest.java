package io.shuttlebridge.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.internal.sync.RowHashes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hub's answer to a device that shows it the rows it holds ({@link SyncEngine#serveRowDiff}): over
 * every part of the keys and every page, the rows the device lacks or holds at another version, each
 * once, and on each part's last page the device's hashes that match no row of the hub.
 */
class RowDiffTest {
    @TempDir
    Path dir;

    @Test
    void everyPartAndPageTogetherBringWhatDiffersAndNameWhatIsGone() throws Exception {
        try (ShuttleDatabase db = ShuttleDatabase.sqlite(dir.resolve("hub.db"))) {
            db.execute("CREATE TABLE item (id BIGINT PRIMARY KEY, name TEXT)");
            StringBuilder rows = new StringBuilder("INSERT INTO item VALUES (0, 'r0')");
            for (int i = 1; i < 100; i++) {
                rows.append(", (").append(i).append(", 'r").append(i).append("')");
            }
            db.execute(rows.toString());
            Capture.enable(db);
            SyncEngine hub = SyncEngine.open(db);
            db.execute("UPDATE item SET name = 'changed' WHERE id >= 90"); // the device holds 90..99 at version 1
            String node = UUID.randomUUID().toString();
            List<Change> all = hub.serveSnapshot(node, 0, 1000).changes();
            assertThat(all).hasSize(100);

            // the device holds rows 0..59 as the hub has them, 90..99 at their first version, and 3 the hub lacks
            RowHashes hashes = new RowHashes();
            List<Long> held = new ArrayList<>();
            for (Change c : all) {
                long id = ((Number) c.key().get(0)).longValue();
                long key = hashes.key(c.key());
                if (id < 60) {
                    held.add(RowHashes.row(key, c.hlc(), c.version()));
                } else if (id >= 90) {
                    held.add(RowHashes.row(key, c.hlc() - 1, c.version() - 1));
                }
            }
            Set<Long> strangers = Set.of(
                    RowHashes.row(hashes.key(List.of(500L)), 1, 1),
                    RowHashes.row(hashes.key(List.of(501L)), 1, 1),
                    RowHashes.row(hashes.key(List.of(502L)), 1, 1));
            held.addAll(strangers);

            int parts = 3;
            List<Object> received = new ArrayList<>();
            Set<Long> gone = new HashSet<>();
            int requests = 0;
            for (int part = 0; part < parts; part++) {
                final int p = part;
                long[] have = held.stream()
                        .filter(h -> inPart(hashes, all, strangers, h, p, parts))
                        .mapToLong(Long::longValue)
                        .sorted()
                        .toArray();
                while (true) {
                    requests++;
                    RowDiff d = hub.serveRowDiff(node, "item", new RowSet(part, parts, have), 7);
                    assertThat(d.changes().size()).isLessThanOrEqualTo(7);
                    long[] next = Arrays.copyOf(have, have.length + d.changes().size());
                    for (int i = 0; i < d.changes().size(); i++) {
                        Change c = d.changes().get(i);
                        received.add(((Number) c.key().get(0)).longValue());
                        next[have.length + i] = RowHashes.row(hashes.key(c.key()), c.hlc(), c.version());
                    }
                    Arrays.sort(next);
                    have = next;
                    if (!d.more()) {
                        for (long h : d.gone()) {
                            gone.add(h);
                        }
                        break;
                    }
                    assertThat(d.gone()).isEmpty();
                }
            }
            // 60..89 lacking, 90..99 at another version: 40 rows, each once, over pages of 7
            List<Object> expected = new ArrayList<>();
            for (long id = 60; id < 100; id++) {
                expected.add(id);
            }
            assertThat(received).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(requests).isGreaterThanOrEqualTo(40 / 7 + parts - 1);
            // gone: the strangers, and the old versions of 90..99 (which the device replaces as it receives them)
            assertThat(gone).containsAll(strangers).hasSize(3 + 10);
        }
    }

    /** Whether the held hash {@code h} belongs to part {@code p}: by the key it was made of. */
    private static boolean inPart(RowHashes hashes, List<Change> all, Set<Long> strangers, long h, int p, int parts) {
        for (Change c : all) {
            long key = hashes.key(c.key());
            for (long dh = 0; dh <= 1; dh++) {
                if (RowHashes.row(key, c.hlc() - dh, c.version() - dh) == h) {
                    return RowHashes.inPart(key, p, parts);
                }
            }
        }
        for (long id = 500; id <= 502; id++) {
            long key = hashes.key(List.of(id));
            if (RowHashes.row(key, 1, 1) == h) {
                return RowHashes.inPart(key, p, parts);
            }
        }
        throw new AssertionError("a held hash of no known row: " + h + " " + strangers);
    }
}
