package io.shuttlebridge.core.readme;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.SqliteFiles;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.capture.CaptureOptions;
import io.shuttlebridge.core.sync.InProcessTransport;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.core.sync.SyncReport;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library example of the README: it compiles and runs here, and the README shows this very code. */
class ReadmeExampleTest {
    @TempDir
    Path dir;

    @Test
    void theReadmeShowsThisCode() {
        ReadmeSnippets.assertInReadme(
                "src/test/java/io/shuttlebridge/core/readme/ReadmeExampleTest.java", "## As a library");
    }

    @Test
    void readmeExample() {
        Path hubFile = dir.resolve("hub.db");
        Path deviceFile = dir.resolve("device.db");
        for (Path f : new Path[] {hubFile, deviceFile}) {
            SqliteFiles.exec(f, "CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT, updated_at TEXT)");
        }
        // --- README example start
        try (ShuttleDatabase hubDb = ShuttleDatabase.open(hubFile.toString());
                ShuttleDatabase deviceDb = ShuttleDatabase.open(deviceFile.toString())) {
            CaptureOptions options =
                    CaptureOptions.builder().excludeColumn("note.updated_at").build();
            Capture.enable(hubDb, options); // triggers + backfill, idempotent
            Capture.enable(deviceDb, options);

            SyncEngine hub = SyncEngine.open(hubDb);
            SyncEngine device = SyncEngine.open(deviceDb);

            // any write to the table is captured, from this JVM or any other program
            deviceDb.execute("INSERT INTO note (id, body) VALUES (?, ?)", 1, "hello");

            SyncReport report = device.pullThenPush(new InProcessTransport(hub));
            System.out.println("pushed " + report.pushed() + ", pulled " + report.pulled());
        }
        // --- README example end
        assertThat(SqliteFiles.query(hubFile, "SELECT body FROM note"))
                .singleElement()
                .satisfies(r -> assertThat(r).containsEntry("body", "hello"));
    }
}
