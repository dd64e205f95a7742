package io.shuttlebridge.core.internal.dialect.postgres;

import static io.shuttlebridge.core.Postgres.exec;
import static io.shuttlebridge.core.Postgres.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.Postgres;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.SqliteFiles;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.capture.CaptureOptions;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.internal.dialect.Identifiers;
import io.shuttlebridge.core.internal.schema.Table;
import io.shuttlebridge.core.internal.schema.TypeMapping;
import io.shuttlebridge.core.sync.InProcessTransport;
import io.shuttlebridge.core.sync.SyncEngine;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every common PostgreSQL type survives PostgreSQL → SQLite → PostgreSQL: a PostgreSQL replica
 * writes, a SQLite replica whose table was made by {@link TypeMapping} relays, and a second
 * PostgreSQL replica must end up with exactly the same values (compared as PostgreSQL text).
 */
class PostgresTypesTest {
    private static final String DDL = "CREATE TABLE sample (id bigint PRIMARY KEY, i integer, s smallint, big bigint,"
            + " dec numeric(38,10), money_like numeric, flag boolean, at timestamptz, local_at timestamp, day date,"
            + " u uuid, b bytea, j jsonb, js json, t text, v varchar(20), r double precision)";
    private static final String ROWS = "INSERT INTO sample VALUES"
            + " (1, 2147483647, -32768, 9223372036854775807, 1234567890123456789012345678.0123456789, 0.10, true,"
            + " '2025-03-01 12:34:56.123456+05:30', '2025-03-01 23:59:59.5', '1999-12-31', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',"
            + " '\\x00ff10', '{\"b\": [1, 2.50, null], \"a\": \"x\"}', '{\"keep\":  \"spacing\"}', 'it''s ✓', 'v', 0.1),"
            + " (2, NULL, NULL, -9223372036854775808, -0.0000001000, 12.50, false, '1970-01-01 00:00:00+00', NULL, NULL, NULL, '\\x',"
            + " 'null', '[]', '', NULL, 1e308),"
            + " (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)";
    private static final String AS_TEXT =
            "SELECT id, i::text, s::text, big::text, dec::text, money_like::text, flag::text,"
                    + " to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'), local_at::text, day::text, u::text, encode(b, 'hex'),"
                    + " j::text, js::text, t, v, r::text FROM sample ORDER BY id";

    @TempDir
    Path dir;

    @Test
    void valuesSurviveARoundTripThroughSqlite() {
        String a = Postgres.freshDatabase();
        String b = Postgres.freshDatabase();
        exec(a, DDL);
        exec(b, DDL);
        Path relay = dir.resolve("relay.db");
        try (ShuttleDatabase pgA = ShuttleDatabase.open(a);
                ShuttleDatabase pgB = ShuttleDatabase.open(b)) {
            Table shape = pgA.read(c -> Dialects.of(pgA).readTable(c, "sample"));
            String create = TypeMapping.sqliteCreateTable(shape, Identifiers::doubleQuote);
            assertThat(create)
                    .contains("\"big\" INTEGER", "\"dec\" TEXT", "\"flag\" BOOLEAN", "\"b\" BLOB", "\"r\" REAL");
            SqliteFiles.exec(relay, create);
            try (ShuttleDatabase hubDb = ShuttleDatabase.sqlite(relay)) {
                Capture.enable(pgA, CaptureOptions.allTables(), ProgressListener.NONE);
                Capture.enable(pgB, CaptureOptions.allTables(), ProgressListener.NONE);
                Capture.enable(hubDb, CaptureOptions.allTables(), ProgressListener.NONE);
                SyncEngine hub = SyncEngine.open(hubDb);
                SyncEngine engineA = SyncEngine.open(pgA);
                SyncEngine engineB = SyncEngine.open(pgB);
                InProcessTransport toHub = new InProcessTransport(hub);

                exec(a, ROWS);
                engineA.pullThenPush(toHub);
                engineB.pullThenPush(toHub);
                assertThat(query(b, AS_TEXT)).isEqualTo(query(a, AS_TEXT));

                Map<String, Object> onRelay = SqliteFiles.query(
                                relay,
                                "SELECT big, dec, money_like, flag, at, typeof(dec) AS k FROM sample" + " WHERE id = 1")
                        .get(0);
                assertThat(onRelay)
                        .containsEntry("big", Long.MAX_VALUE)
                        .containsEntry("dec", "1234567890123456789012345678.0123456789")
                        .containsEntry("money_like", "0.10")
                        .containsEntry("flag", 1L)
                        .containsEntry("at", "2025-03-01T07:04:56.123456Z")
                        .containsEntry("k", "text");

                // and back: B edits, A receives
                exec(
                        b,
                        "UPDATE sample SET dec = dec + 1, flag = NOT flag, j = j || '{\"c\": 3}', at = at + interval '1 hour' WHERE id = 1",
                        "UPDATE sample SET b = '\\xdeadbeef', money_like = 99.990 WHERE id = 3");
                engineB.pullThenPush(toHub);
                engineA.pullThenPush(toHub);
                List<Map<String, Object>> expected = query(b, AS_TEXT);
                assertThat(query(a, AS_TEXT)).isEqualTo(expected);
                assertThat(expected.get(2).get("money_like")).isEqualTo("99.990");
            }
        }
    }
}
