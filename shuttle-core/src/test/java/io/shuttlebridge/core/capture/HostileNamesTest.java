package io.shuttlebridge.core.capture;

import static io.shuttlebridge.core.SqliteFiles.count;
import static io.shuttlebridge.core.SqliteFiles.exec;
import static io.shuttlebridge.core.SqliteFiles.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.internal.dialect.Identifiers;
import io.shuttlebridge.core.internal.feed.RoundTripTest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keywords, quotes, spaces, unicode and would-be injections as table and column names. */
class HostileNamesTest {
    static final List<String> NAMES = List.of(
            "order", "x\"y", "with space", "ünïcødé 表", "t'; DROP TABLE victim; --", "a\"); DELETE FROM victim; --");

    @TempDir
    Path dir;

    private static String q(String name) {
        return Identifiers.doubleQuote(name);
    }

    @Test
    void hostileIdentifiersAreCapturedAndReplicatedWithoutInjection() {
        Path a = dir.resolve("a.db");
        Path b = dir.resolve("b.db");
        for (Path f : List.of(a, b)) {
            exec(f, "CREATE TABLE victim (id INTEGER PRIMARY KEY)", "INSERT INTO victim VALUES (1)");
            for (String n : NAMES) {
                exec(
                        f,
                        "CREATE TABLE " + q(n) + " (" + q(n + " id") + " TEXT PRIMARY KEY, " + q(n)
                                + " TEXT, \"select\" INTEGER, " + q("parent " + n) + " TEXT REFERENCES " + q(n) + "("
                                + q(n + " id") + "))");
            }
            try (ShuttleDatabase db = ShuttleDatabase.sqlite(f)) {
                Capture.enable(
                        db,
                        CaptureOptions.builder()
                                .excludeColumn(NAMES.get(1) + ".select")
                                .build(),
                        ProgressListener.NONE);
            }
        }
        for (String n : NAMES) {
            exec(
                    a,
                    "INSERT INTO " + q(n) + " VALUES ('k''1', 'v " + n.replace("'", "''") + "', 1, NULL)",
                    "INSERT INTO " + q(n) + " VALUES ('k2', 'w', 2, 'k''1')",
                    "UPDATE " + q(n) + " SET " + q(n) + " = 'changed' WHERE " + q(n + " id") + " = 'k2'");
        }
        try (ShuttleDatabase da = ShuttleDatabase.sqlite(a);
                ShuttleDatabase db = ShuttleDatabase.sqlite(b)) {
            RoundTripTest.writeAll(db, RoundTripTest.readAll(da));
        }
        for (String n : NAMES) {
            String sql = "SELECT * FROM " + q(n) + " ORDER BY 1";
            List<Map<String, Object>> atB = query(b, sql);
            assertThat(atB).hasSize(2);
            if (n.equals(NAMES.get(1))) {
                assertThat(atB).allSatisfy(r -> assertThat(r.get("select")).isNull()); // excluded column stays local
            } else {
                assertThat(atB).isEqualTo(query(a, sql));
            }
        }
        assertThat(count(a, "SELECT count(*) FROM victim")).isEqualTo(1);
        assertThat(count(b, "SELECT count(*) FROM victim")).isEqualTo(1);
        assertThat(count(a, "SELECT count(*) FROM _shuttle_tables")).isEqualTo(NAMES.size() + 1);
    }
}
