package io.shuttlebridge.core.internal.dialect.mariadb;

import static io.shuttlebridge.core.MariaDb.exec;
import static io.shuttlebridge.core.MariaDb.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shuttlebridge.core.MariaDb;
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
 * Every common MariaDB type survives MariaDB → SQLite → MariaDB: a MariaDB replica writes (from a
 * plain session in the server's own time zone, -11:00 in the suite), a SQLite replica whose table was
 * made by {@link TypeMapping} relays, and a second MariaDB replica must end up with exactly the same
 * values (compared as MariaDB text, timestamps as seconds since the epoch).
 */
class MariaDbTypesTest {
    private static final String DDL = "CREATE TABLE sample (id bigint PRIMARY KEY, i int, s smallint, big bigint,"
            + " ubig bigint unsigned, `dec` decimal(38,10), money_like decimal(10,2), flag boolean, bits bit(1),"
            + " at timestamp(6) NULL DEFAULT NULL, local_at datetime(6), day date, tm time(6), b varbinary(16), blb blob,"
            + " j json, t text, v varchar(20), e enum('small','large'), st set('a','b','c'), r double)";
    private static final String ROWS = "INSERT INTO sample VALUES"
            + " (1, 2147483647, -32768, 9223372036854775807, 18446744073709551615,"
            + " 1234567890123456789012345678.0123456789, 0.10, true, b'1', '2025-03-01 12:34:56.123456',"
            + " '2025-03-01 23:59:59.5', '1999-12-31', '12:34:56.5', x'00ff10', x'deadbeef',"
            + " '{\"b\": [1, 2.50, null], \"a\": \"x\"}', 'it''s \u2713 \ud83d\ude00', 'v', 'large', 'a,c', 0.1),"
            + " (2, NULL, NULL, -9223372036854775808, 9223372036854775808, -0.0000001000, 12.50, false, b'0',"
            + " '1970-01-01 00:00:01', '0001-01-01 00:00:00', '9999-12-31', '-838:59:59', x'', '', 'null', '', '', 'small',"
            + " '', 1e308),"
            + " (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
            + " NULL, NULL, NULL)";
    private static final String AS_TEXT = "SELECT id, cast(i AS char) i, cast(s AS char) s, cast(big AS char) big,"
            + " cast(ubig AS char) ubig, cast(`dec` AS char) d, cast(money_like AS char) m, cast(flag AS char) f,"
            + " cast(bits + 0 AS char) bits, cast(unix_timestamp(at) AS char) at, cast(local_at AS char) local_at,"
            + " cast(day AS char) day, cast(tm AS char) tm, hex(b) b, hex(blb) blb, j, t, v, e, st, cast(r AS char) r"
            + " FROM sample ORDER BY id";

    @TempDir
    Path dir;

    @Test
    void valuesSurviveARoundTripThroughSqlite() {
        String a = MariaDb.freshDatabase();
        String b = MariaDb.freshDatabase();
        exec(a, DDL);
        exec(b, DDL);
        Path relay = dir.resolve("relay.db");
        try (ShuttleDatabase dbA = ShuttleDatabase.open(a);
                ShuttleDatabase dbB = ShuttleDatabase.open(b)) {
            Table shape = dbA.read(c -> Dialects.of(dbA).readTable(c, "sample"));
            String create = TypeMapping.sqliteCreateTable(shape, Identifiers::doubleQuote);
            assertThat(create)
                    .contains(
                            "\"i\" INTEGER",
                            "\"big\" INTEGER",
                            "\"ubig\" TEXT",
                            "\"dec\" TEXT",
                            "\"flag\" BOOLEAN",
                            "\"bits\" BOOLEAN",
                            "\"b\" BLOB",
                            "\"blb\" BLOB",
                            "\"r\" REAL",
                            "\"at\" TEXT",
                            "\"e\" TEXT");
            SqliteFiles.exec(relay, create);
            try (ShuttleDatabase hubDb = ShuttleDatabase.sqlite(relay)) {
                Capture.enable(dbA, CaptureOptions.allTables(), ProgressListener.NONE);
                Capture.enable(dbB, CaptureOptions.allTables(), ProgressListener.NONE);
                Capture.enable(hubDb, CaptureOptions.allTables(), ProgressListener.NONE);
                SyncEngine hub = SyncEngine.open(hubDb);
                SyncEngine engineA = SyncEngine.open(dbA);
                SyncEngine engineB = SyncEngine.open(dbB);
                InProcessTransport toHub = new InProcessTransport(hub);

                exec(a, ROWS);
                engineA.pullThenPush(toHub);
                engineB.pullThenPush(toHub);
                assertThat(query(b, AS_TEXT)).isEqualTo(query(a, AS_TEXT));

                Map<String, Object> onRelay = SqliteFiles.query(
                                relay,
                                "SELECT big, ubig, dec, money_like, flag, bits, at, local_at, e, st, typeof(dec) AS k"
                                        + " FROM sample WHERE id = 1")
                        .get(0);
                assertThat(onRelay)
                        .containsEntry("big", Long.MAX_VALUE)
                        .containsEntry("ubig", "18446744073709551615")
                        .containsEntry("dec", "1234567890123456789012345678.0123456789")
                        .containsEntry("money_like", "0.10")
                        .containsEntry("flag", 1L)
                        .containsEntry("bits", 1L)
                        // written at 12:34:56 in a session at -11:00: an instant, given in UTC
                        .containsEntry("at", "2025-03-01T23:34:56.123456Z")
                        .containsEntry("local_at", "2025-03-01T23:59:59.5")
                        .containsEntry("e", "large")
                        .containsEntry("st", "a,c")
                        .containsEntry("k", "text");

                // and back: B edits, A receives
                exec(
                        b,
                        "UPDATE sample SET `dec` = `dec` + 1, flag = NOT flag, bits = b'0',"
                                + " j = json_set(j, '$.c', 3), at = at + INTERVAL 1 HOUR, ubig = ubig - 1 WHERE id = 1",
                        "UPDATE sample SET b = x'deadbeef', money_like = 99.99, st = 'b' WHERE id = 3");
                engineB.pullThenPush(toHub);
                engineA.pullThenPush(toHub);
                List<Map<String, Object>> expected = query(b, AS_TEXT);
                assertThat(query(a, AS_TEXT)).isEqualTo(expected);
                assertThat(expected.get(0).get("ubig")).isEqualTo("18446744073709551614");
                assertThat(expected.get(2).get("m")).isEqualTo("99.99");
            }
        }
    }

    @Test
    void zeroDatesAreRefusedNamingTableAndColumn() {
        String url = MariaDb.freshDatabase();
        exec(url, "CREATE TABLE visit (id int PRIMARY KEY, `on day` date, at datetime)");
        try (ShuttleDatabase db = ShuttleDatabase.open(url)) {
            Capture.enable(db, CaptureOptions.allTables(), ProgressListener.NONE);
            assertThatThrownBy(() -> exec(url, "INSERT INTO visit VALUES (1, '0000-00-00', NULL)"))
                    .hasMessageContaining("zero date in `visit`.`on day`");
            exec(url, "INSERT INTO visit VALUES (2, '2025-01-02', '2025-01-02 03:04:05')");
            assertThatThrownBy(() -> exec(url, "UPDATE visit SET at = '2025-00-10 00:00:00' WHERE id = 2"))
                    .hasMessageContaining("zero date in `visit`.`at`");
            assertThat(query(url, "SELECT cast(at AS char) at FROM visit WHERE id = 2")
                            .get(0)
                            .get("at"))
                    .isEqualTo("2025-01-02 03:04:05");
            assertThat(MariaDb.count(url, "SELECT count(*) FROM visit")).isEqualTo(1);
        }
    }
}
