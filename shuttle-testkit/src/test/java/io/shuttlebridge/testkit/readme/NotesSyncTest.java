package io.shuttlebridge.testkit.readme;

// The testkit example of the README: from the start marker to the end marker, this file is the
// README's code block (ReadmeExamplesTest fails when they differ), so the example always compiles and runs.
// --- README testkit example start
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.testkit.Device;
import io.shuttlebridge.testkit.ShuttleTestCluster;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NotesSyncTest {
    @Test
    void offlineEditsOnTwoDevicesConverge() {
        try (ShuttleTestCluster cluster = ShuttleTestCluster.builder()
                .schema("""
                        CREATE TABLE note (id TEXT PRIMARY KEY, title TEXT, body TEXT);
                        CREATE TABLE tag (note_id TEXT NOT NULL REFERENCES note(id), tag TEXT NOT NULL,
                                          PRIMARY KEY (note_id, tag));
                        """) // or .schema(Path.of("src/main/resources/schema.sql"))
                .devices(2)
                .policy(ConflictPolicy.FIELD_LWW) // per column: both edits below survive
                .start()) { // .overHttp(), .postgresHub(jdbcUrl), .directory(dir) to keep the files
            Device phone = cluster.device(0);
            Device laptop = cluster.device(1);
            phone.execute("INSERT INTO note VALUES ('n1', 'Groceries', 'milk')");
            cluster.syncAll();

            // both offline: plain SQL, as the application writes
            phone.execute("UPDATE note SET title = 'Shopping' WHERE id = 'n1'");
            laptop.execute(
                    "UPDATE note SET body = 'milk, eggs' WHERE id = 'n1'", "INSERT INTO tag VALUES ('n1', 'home')");
            cluster.syncAll(); // every device pulls and pushes until nothing changes

            // every replica holds the hub's rows, nothing unpushed or waiting;
            // else an AssertionError naming table, key and column
            cluster.assertConverged();
            assertEquals(
                    List.of(Map.of("title", "Shopping", "body", "milk, eggs")),
                    laptop.query("SELECT title, body FROM note"));
        }
    }
}
// --- README testkit example end
