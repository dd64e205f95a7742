package io.shuttlebridge.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.bridge.definition.PipelineDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Normalized values land in typed PostgreSQL columns as those types (the server runs in US/Samoa time, so a
 * date-time read in the session's zone would show): exact decimals, numbers, booleans (also into a number
 * column), dates, date-times with and without a zone, and text read as uuid or jsonb; empty fields as NULL
 * of every type; updates and deletes find their rows by a typed key.
 */
class PostgresColumnTypesIT {
    static final String YAML = """
            entities:
              - name: readings
                table: reading
                source: {type: csv, path: readings.csv, delimiter: ";"}
                fields:
                  id: integer
                  code: string
                  amount: {type: decimal, locale: de-DE}
                  ratio: decimal
                  n: integer
                  digits: string
                  active: boolean
                  day: {type: date, format: dd.MM.yyyy}
                  local: datetime
                  at: {type: timestamp, zone: Europe/Berlin}
                  ref: string
                  doc: string
                mappings:
                  - {target: id, source: id}
                  - {target: code, source: code}
                  - {target: amount, source: amount}
                  - {target: amount_text, source: amount}
                  - {target: ratio, source: ratio}
                  - {target: n, source: n}
                  - {target: n_numeric, source: n}
                  - {target: n_from_text, source: digits}
                  - {target: active, source: active}
                  - {target: active_number, source: active}
                  - {target: day, source: day}
                  - {target: day_text, source: day}
                  - {target: local_ts, source: local}
                  - {target: local_tstz, source: local}
                  - {target: at_ts, source: at}
                  - {target: at_tstz, source: at}
                  - {target: ref, source: ref}
                  - {target: doc, source: doc}
                keys: [id]
            """;

    static final String HEADER = "id;code;amount;ratio;n;digits;active;day;local;at;ref;doc";
    static final String ROW_1 =
            "1;A1;1.234,56;0.25;42;0042;yes;01.02.2024;2024-05-03T10:15:00;2024-05-03T10:15:00;6f1c9c1e-8a4b-4f5e-9a8e-1d2c3b4a5f60;[1,2]";
    static final String ROW_2 = "2;B2;;;;;;;;;;";

    @TempDir
    Path dir;

    @Test
    void valuesLandAsTheColumnTypesAndTypedKeysFindTheirRows() throws IOException {
        TestDb db = TestDb.postgres();
        db.exec("""
                CREATE TABLE reading (id bigint PRIMARY KEY, code varchar(10) NOT NULL, amount numeric(12,2),
                    amount_text text, ratio double precision, n integer, n_numeric numeric, n_from_text integer,
                    active boolean, active_number smallint, day date, day_text text, local_ts timestamp,
                    local_tstz timestamptz, at_ts timestamp, at_tstz timestamptz, ref uuid, doc jsonb)""");
        db.countWrites("reading");
        csv(ROW_1, ROW_2);
        try (BridgeService b = BridgeService.builder()
                .target(db.target())
                .definition(PipelineDefinition.parse(YAML, Map.of(), dir))
                .build()) {
            BatchReport first = b.run("readings");
            assertThat(first.outcome()).as(first.error()).isEqualTo(BatchOutcome.SUCCEEDED);
            assertThat(first.counts().inserted()).isEqualTo(2);
            assertThat(db.rows(TEXT_OF_EVERY_COLUMN + " WHERE id = 1").get(0))
                    .containsEntry("code", "A1")
                    .containsEntry("amount", "1234.56")
                    .containsEntry("amount_text", "1234.56")
                    .containsEntry("ratio", "0.25")
                    .containsEntry("n", "42")
                    .containsEntry("n_numeric", "42")
                    .containsEntry("n_from_text", "42")
                    .containsEntry("active", "true")
                    .containsEntry("active_number", "1")
                    .containsEntry("day", "2024-02-01")
                    .containsEntry("day_text", "2024-02-01")
                    .containsEntry("local_ts", "2024-05-03 10:15:00")
                    .as("a date-time without a zone is UTC, not the session's time zone")
                    .containsEntry("local_tstz", "2024-05-03 10:15:00")
                    .containsEntry("at_ts", "2024-05-03 08:15:00")
                    .containsEntry("at_tstz", "2024-05-03 08:15:00")
                    .containsEntry("ref", "6f1c9c1e-8a4b-4f5e-9a8e-1d2c3b4a5f60")
                    .containsEntry("doc", "[1, 2]");
            assertThat(db.rows(TEXT_OF_EVERY_COLUMN + " WHERE id = 2").get(0))
                    .containsEntry("code", "B2")
                    .containsEntry("amount", null)
                    .containsEntry("active", null)
                    .containsEntry("day", null)
                    .containsEntry("at_tstz", null)
                    .containsEntry("ref", null)
                    .containsEntry("doc", null);

            csv(ROW_1.replace("1.234,56", "99,9"));
            BatchReport second = b.run("readings");
            assertThat(second.outcome()).as(second.error()).isEqualTo(BatchOutcome.SUCCEEDED);
            assertThat(second.counts())
                    .extracting(BatchCounts::updated, BatchCounts::deleted)
                    .containsExactly(1L, 1L);
            assertThat(db.rows("SELECT amount::text AS amount FROM reading").get(0))
                    .containsEntry("amount", "99.90");
            assertThat(b.run("readings").counts().unchanged()).isEqualTo(1);
        }
        assertThat(db.count("SELECT COUNT(*) FROM reading")).isEqualTo(1);
        assertThat(db.writes("reading")).isEqualTo(4);
    }

    static final String TEXT_OF_EVERY_COLUMN = """
            SELECT code, amount::text AS amount, amount_text, ratio::text AS ratio, n::text AS n,
                n_numeric::text AS n_numeric, n_from_text::text AS n_from_text, active::text AS active,
                active_number::text AS active_number, day::text AS day, day_text, local_ts::text AS local_ts,
                (local_tstz AT TIME ZONE 'UTC')::text AS local_tstz, at_ts::text AS at_ts,
                (at_tstz AT TIME ZONE 'UTC')::text AS at_tstz, ref::text AS ref, doc::text AS doc
            FROM reading""";

    private void csv(String... rows) throws IOException {
        Files.writeString(dir.resolve("readings.csv"), HEADER + "\n" + String.join("\n", rows) + "\n");
    }
}
