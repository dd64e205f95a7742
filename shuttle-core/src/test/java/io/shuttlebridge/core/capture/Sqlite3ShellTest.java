package io.shuttlebridge.core.capture;

import static io.shuttlebridge.core.SqliteFiles.exec;
import static io.shuttlebridge.core.SqliteFiles.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sqlite3 command-line shell, a program with no Shuttle code at all, writes and is captured. */
class Sqlite3ShellTest {
    @TempDir
    Path dir;

    @Test
    void writesFromTheSqlite3ShellAreCaptured() throws Exception {
        Path shell = Path.of("/usr/bin/sqlite3");
        assumeTrue(Files.isExecutable(shell), "sqlite3 shell not installed");
        Path f = dir.resolve("shell.db");
        exec(f, "CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)");
        try (ShuttleDatabase db = ShuttleDatabase.sqlite(f)) {
            Capture.enable(db, CaptureOptions.allTables(), ProgressListener.NONE);
        }
        Process p = new ProcessBuilder(
                        shell.toString(),
                        f.toString(),
                        "INSERT INTO note VALUES (1, 'from the shell'); UPDATE note SET body = 'edited' WHERE id = 1;"
                                + " INSERT INTO note VALUES (2, 'gone'); DELETE FROM note WHERE id = 2;")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        CaptureTest.fold(f);
        assertThat(query(f, "SELECT pk, op, version FROM _shuttle_feed ORDER BY pk"))
                .containsExactly(Map.of("pk", 1L, "op", 1L, "version", 2L), Map.of("pk", 2L, "op", 2L, "version", 2L));
    }
}
