package io.shuttlebridge.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.MariaDb;
import io.shuttlebridge.core.Postgres;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** On SQLite, PostgreSQL and MariaDB, a key holds the value last put, and goes alone or with its prefix. */
class MetaKeysTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"sqlite", "postgres", "mariadb"})
    void keysAreReadWrittenAndRemovedAloneOrByPrefix(String kind) {
        try (ShuttleDatabase db = open(kind)) {
            db.transaction(c -> {
                assertThat(MetaKeys.get(c, "t:a")).isEmpty();
                MetaKeys.put(c, "t:b", "1");
                MetaKeys.put(c, "t:a", "2");
                MetaKeys.put(c, "t:a", "3");
                MetaKeys.put(c, "u:a", "4");
                return null;
            });
            db.transaction(c -> {
                assertThat(MetaKeys.get(c, "t:a")).contains("3");
                assertThat(MetaKeys.getLong(c, "u:a")).contains(4L);
                assertThat(MetaKeys.withPrefix(c, "t:")).containsExactly(Map.entry("a", "3"), Map.entry("b", "1"));
                assertThat(MetaKeys.anyWithPrefix(c, "u:")).isTrue();
                assertThat(MetaKeys.anyWithPrefix(c, "v:")).isFalse();
                MetaKeys.remove(c, "t:b", "u:a");
                assertThat(MetaKeys.withPrefix(c, "t:")).containsOnlyKeys("a");
                assertThat(MetaKeys.get(c, "u:a")).isEmpty();
                MetaKeys.put(c, "u:a", "5");
                MetaKeys.removePrefix(c, "t:");
                assertThat(MetaKeys.withPrefix(c, "t:")).isEmpty();
                assertThat(MetaKeys.get(c, "u:a")).contains("5");
                assertThat(MetaKeys.get(c, "node_uuid")).isPresent();
                return null;
            });
        }
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"sqlite", "postgres", "mariadb"})
    void aSetOfNamesIsKeptInItsOrderAndReadAsNoneWhenAbsentOrEmpty(String kind) {
        try (ShuttleDatabase db = open(kind)) {
            db.transaction(c -> {
                assertThat(MetaKeys.set(c, "s:a")).isEmpty();
                MetaKeys.putSet(c, "s:a", new LinkedHashSet<>(List.of("zeta", "alpha", "mid")));
                MetaKeys.putSet(c, "s:b", List.of());
                MetaKeys.put(c, "s:c", "one\ntwo\n");
                return null;
            });
            db.transaction(c -> {
                assertThat(MetaKeys.set(c, "s:a")).containsExactly("zeta", "alpha", "mid");
                assertThat(MetaKeys.set(c, "s:b")).isEmpty();
                assertThat(MetaKeys.set(c, "s:c")).containsExactly("one", "two");
                Set<String> mine = MetaKeys.set(c, "s:a");
                mine.add("more"); // the caller's own set
                assertThat(MetaKeys.set(c, "s:a")).containsExactly("zeta", "alpha", "mid");
                assertThat(MetaKeys.setOf(MetaKeys.get(c, "s:a").orElseThrow()))
                        .containsExactly("zeta", "alpha", "mid");
                MetaKeys.putSet(c, "s:a", List.of("alpha"));
                assertThat(MetaKeys.set(c, "s:a")).containsExactly("alpha");
                return null;
            });
        }
    }

    private ShuttleDatabase open(String kind) {
        ShuttleDatabase db = switch (kind) {
            case "sqlite" -> ShuttleDatabase.sqlite(dir.resolve("db.db"));
            case "postgres" -> ShuttleDatabase.open(Postgres.freshDatabase());
            default -> ShuttleDatabase.open(MariaDb.freshDatabase());
        };
        db.execute("CREATE TABLE note (id INTEGER PRIMARY KEY)");
        Capture.enable(db);
        return db;
    }
}
