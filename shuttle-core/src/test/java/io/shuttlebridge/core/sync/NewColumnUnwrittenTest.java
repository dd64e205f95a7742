package io.shuttlebridge.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.internal.sync.NewColumns;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Found by the randomized schema-change schedules (seed 9161, FIELD_LWW): a device added a column itself and
 * wrote a value into it in a row; another device, which did not have the column yet, wrote the same row a
 * little later. That row carried no stamp for the column, so the column took the row's stamp: the second
 * device, once it had followed the hub's schema (its fill found no value of the hub's for the row) pushed the
 * row with NULL there under its own write's stamp, newer than the first device's write of the column, and
 * the value was lost everywhere. The same held for a row a hub wrote before it gained the column: served with
 * NULL there under the row's stamp, it blanked a device's older write of the column. A column capture takes
 * after a row was written is now stamped in that row as a write of no one (older than any write of it).
 */
class NewColumnUnwrittenTest {
    @TempDir
    Path dir;

    private static void pause() {
        try {
            Thread.sleep(5); // the next write's stamp is newer
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The node adds the column its hub gained, as a device following its hub's schema does. */
    private static void follow(Cluster.Node device) {
        device.sql("ALTER TABLE customer ADD COLUMN early TEXT");
        device.db().transaction(c -> {
            NewColumns.add(c, "customer", List.of("early"));
            return null;
        });
        device.engine().refreshSchema();
    }

    /** The node's application adds the column itself. */
    private static void addItself(Cluster.Node node) {
        node.sql("ALTER TABLE customer ADD COLUMN early TEXT");
        node.engine().refreshSchema();
    }

    private static List<String> customers(Cluster.Node n) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> r : n.rows("customer")) {
            out.add(r.get("id") + "|" + r.get("name") + "|" + r.get("early"));
        }
        return out;
    }

    @Test
    void aRowWrittenBeforeTheDeviceHadTheColumnDoesNotBlankAnOlderWriteOfIt() {
        try (Cluster k = new Cluster(dir, 2, ConflictPolicy.FIELD_LWW)) {
            Cluster.Node first = k.device(0);
            Cluster.Node late = k.device(1);
            addItself(first);
            addItself(k.hub);

            first.sql("INSERT INTO customer (id, name, early) VALUES (5, 'first', 'mine')");
            pause();
            late.sql("INSERT INTO customer (id, name) VALUES (5, 'late')"); // it lacks the column

            // it follows the hub's schema; the hub has no row 5 yet, so there is nothing of the hub's to fill in
            follow(late);
            k.sync(late);
            k.settle();

            for (Cluster.Node n : List.of(k.hub, first, late)) {
                assertThat(customers(n)).as(n.name()).containsExactly("5|late|mine");
            }
        }
    }

    @Test
    void aRowTheHubWroteBeforeItHadTheColumnDoesNotBlankADevicesWriteOfIt() {
        try (Cluster k = new Cluster(dir, 2, ConflictPolicy.FIELD_LWW)) {
            Cluster.Node first = k.device(0);
            Cluster.Node other = k.device(1);
            k.hub.sql("INSERT INTO customer (id, name) VALUES (5, 'hub')");
            k.sync(first);
            k.sync(other);

            addItself(first);
            first.sql("UPDATE customer SET early = 'mine' WHERE id = 5");
            pause();
            other.sql("UPDATE customer SET name = 'other' WHERE id = 5");
            k.sync(other);
            addItself(k.hub); // after the row's last write there

            k.sync(first);
            follow(other);
            k.settle();

            for (Cluster.Node n : List.of(k.hub, first, other)) {
                assertThat(customers(n)).as(n.name()).containsExactly("5|other|mine");
            }
        }
    }
}
