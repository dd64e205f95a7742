package io.shuttlebridge.core.readme;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.ProgressListener;
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

/** The library example of the README, kept here so that it always compiles and runs. */
class ReadmeExampleTest {
    @TempDir
    Path dir;

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
            Capture.enable(hubDb, options, ProgressListener.NONE); // triggers + backfill, idempotent
            Capture.enable(deviceDb, options, ProgressListener.NONE);

            SyncEngine hub = SyncEngine.open(hubDb);
            SyncEngine device = SyncEngine.open(deviceDb);

            // any write to the table is captured, from this JVM or any other program
            deviceDb.transaction(
                    c -> c.createStatement().executeUpdate("INSERT INTO note (id, body) VALUES (1, 'hello')"));

            SyncReport report = device.pullThenPush(new InProcessTransport(hub));
            System.out.println("pushed " + report.pushed() + ", pulled " + report.pulled());
        }
        // --- README example end
        assertThat(SqliteFiles.query(hubFile, "SELECT body FROM note"))
                .singleElement()
                .satisfies(r -> assertThat(r).containsEntry("body", "hello"));
    }
}
