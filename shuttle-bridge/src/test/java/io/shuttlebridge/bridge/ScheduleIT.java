package io.shuttlebridge.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.bridge.definition.PipelineDefinition;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A JDBC source synced in a night window (19:00-07:00 Berlin), 4 rows per window, over several days, into a
 * SQLite or PostgreSQL target.
 */
@ParameterizedClass
@EnumSource(TestDb.Kind.class)
class ScheduleIT {
    @Parameter
    TestDb.Kind kind;

    @TempDir
    Path dir;

    @Test
    void multiDayChunkingInsideTheWindowThenIncrementalOnRowversion() {
        TestDb erp = new TestDb(dir.resolve("erp.db"));
        erp.exec("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, rv INTEGER)");
        for (int i = 1; i <= 10; i++) {
            erp.exec("INSERT INTO items VALUES (" + i + ", 'Item " + i + "', " + i + ")");
        }
        TestDb db = kind.create(dir, "target.db");
        db.exec("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT)");
        db.countWrites("item");
        String yaml = """
                entities:
                  - name: items
                    table: item
                    source: {type: jdbc, url: "jdbc:sqlite:%s", table: items, rowversion: rv}
                    fields: {id: integer, name: string, rv: integer}
                    mappings: [{target: id, source: id}, {target: name, source: name}]
                    keys: [id]
                    batch_size: 2
                    schedule: {window: "19:00-07:00", zone: Europe/Berlin, every: 1d, rows_per_window: 4}
                """.formatted(erp.file);
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2025-03-03T12:00:00Z"));
        Clock clock = new Clock() {
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            public Clock withZone(ZoneId z) {
                return this;
            }

            public Instant instant() {
                return now.get();
            }
        };
        try (BridgeService b = BridgeService.builder()
                .target(db.target())
                .clock(clock)
                .definition(PipelineDefinition.parse(yaml, Map.of(), dir))
                .build()) {
            BridgeScheduler s = b.scheduler();
            assertThat(s.tick()).as("13:00 Berlin is outside the window").isEmpty();
            assertThat(s.status("items").inWindow()).isFalse();

            now.set(Instant.parse("2025-03-03T22:00:00Z"));
            BatchReport day1 = s.tick().get(0);
            assertThat(day1.error()).isNull();
            assertThat(day1.outcome()).isEqualTo(BatchOutcome.PAUSED);
            assertThat(day1.counts().inserted()).isEqualTo(4);
            assertThat(s.tick()).as("window budget used").isEmpty();
            now.set(Instant.parse("2025-03-04T05:30:00Z"));
            assertThat(s.tick())
                    .as("same window after midnight, budget still used")
                    .isEmpty();
            now.set(Instant.parse("2025-03-04T09:00:00Z"));
            assertThat(s.tick()).isEmpty();
            assertThat(s.status("items").passOpen()).isTrue();

            now.set(Instant.parse("2025-03-04T19:00:00Z"));
            assertThat(s.tick().get(0).counts().inserted()).isEqualTo(4);
            now.set(Instant.parse("2025-03-05T19:00:00Z"));
            BatchReport day3 = s.tick().get(0);
            assertThat(day3.outcome()).isEqualTo(BatchOutcome.SUCCEEDED);
            assertThat(day3.passComplete()).isTrue();
            assertThat(db.count("SELECT COUNT(*) FROM item")).isEqualTo(10);
            assertThat(db.writes("item")).as("no duplicates across days").isEqualTo(10);

            erp.exec("UPDATE items SET name = 'Changed', rv = 11 WHERE id = 3");
            now.set(Instant.parse("2025-03-06T19:00:00Z"));
            BatchReport incremental = s.tick().get(0);
            assertThat(incremental.fullPass()).isFalse();
            assertThat(incremental.counts().fetched()).isEqualTo(1);
            assertThat(incremental.counts().updated()).isEqualTo(1);

            BatchReport manual = s.trigger("items");
            assertThat(manual.trigger()).isEqualTo("trigger");
            assertThat(s.reset("items").passOpen()).isFalse();
        }
    }
}
