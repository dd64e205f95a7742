package io.shuttlebridge.core.internal.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.FormatFixtures;
import io.shuttlebridge.core.FormatFixtures.Build;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.SqliteFiles;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.internal.dialect.FormatStep;
import io.shuttlebridge.core.sync.SyncEngine;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Opening a SQLite database an earlier build wrote (the fixtures of {@link FormatFixtures}) upgrades its
 * engine tables to the current format, in one transaction, to the shape a fresh {@code shuttle init}
 * gives; a newer format is refused; an up-to-date database costs one lookup.
 */
class FormatUpgradeTest {
    private static final String USER_ROWS = "SELECT 'project', id, name, NULL FROM project"
            + " UNION ALL SELECT 'task', id, title, done FROM task"
            + " UNION ALL SELECT 'tag', project_id, label, NULL FROM tag ORDER BY 1, 2, 3";

    @TempDir
    Path dir;

    static Stream<Arguments> sqliteFixtures() {
        List<Arguments> out = new ArrayList<>();
        for (Build b : Build.values()) {
            for (String file : List.of("sqlite-hub.db", "device-a.db", "device-b.db")) {
                out.add(Arguments.of(b, file));
            }
            if (b.postgres) {
                out.add(Arguments.of(b, "pg-device-a.db"));
                out.add(Arguments.of(b, "pg-device-b.db"));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("sqliteFixtures")
    void anEarlierFormatIsUpgradedToTheShapeOfAFreshDatabase(Build build, String file) throws Exception {
        Path f = FormatFixtures.copy(build, file, dir);
        List<Map<String, Object>> rows = SqliteFiles.query(f, USER_ROWS);
        try (ShuttleDatabase db = ShuttleDatabase.sqlite(f)) {
            assertThat(EngineTables.meta(db, "format")).isEqualTo("1");

            SyncEngine engine = SyncEngine.open(db);

            assertThat(EngineTables.meta(db, "format")).isEqualTo(String.valueOf(EngineFormat.CURRENT));
            assertThat(EngineTables.shape(db)).isEqualTo(freshShape());
            List<String> code = EngineTables.captureCode(db);
            Capture.enable(db); // what shuttle init would install now
            assertThat(EngineTables.captureCode(db))
                    .as("the capture triggers are this build's")
                    .isEqualTo(code);
            if (file.startsWith("device-a") || file.startsWith("pg-device-a")) {
                assertThat(engine.pendingChanges(hubOf(db)))
                        .as("unpushed writes")
                        .isEqualTo(5);
            }
        }
        assertThat(SqliteFiles.query(f, USER_ROWS)).isEqualTo(rows);
    }

    @Test
    void aRetiredDeviceStaysRetiredWhenItsTableMovesIntoTheMetadata() {
        Path f = FormatFixtures.copy(Build.RETIRED_TABLE, "sqlite-hub.db", dir);
        List<Map<String, Object>> retired = SqliteFiles.query(f, "SELECT peer, retired_at FROM _shuttle_retired");
        assertThat(retired).hasSize(1);
        String peer = (String) retired.get(0).get("peer");
        try (ShuttleDatabase db = ShuttleDatabase.sqlite(f)) {
            SyncEngine.open(db);
            boolean table = db.read(c -> Dialects.of(db).hasTable(c, "_shuttle_retired"));
            assertThat(table).isFalse();
            assertThat(EngineTables.meta(db, "retired:" + peer))
                    .isEqualTo(String.valueOf(retired.get(0).get("retired_at")));
        }
    }

    @Test
    void aDatabaseWithoutAFormatIsTakenAsWrittenBeforeFormatsAndUpgraded() {
        Path f = FormatFixtures.copy(Build.FIRST_SYNC, "device-b.db", dir);
        SqliteFiles.exec(f, "DELETE FROM _shuttle_meta WHERE key = 'format'");
        try (ShuttleDatabase db = ShuttleDatabase.sqlite(f)) {
            SyncEngine engine = SyncEngine.open(db);
            assertThat(EngineTables.meta(db, "format")).isEqualTo(String.valueOf(EngineFormat.CURRENT));
            assertThat(EngineTables.shape(db)).isEqualTo(freshShape());
            assertThat(engine.pendingChanges(hubOf(db))).as("unpushed writes").isEqualTo(2);
        }
    }

    @Test
    void enablingSyncAgainOnAnEarlierFormatUpgradesItFirst() {
        Path f = FormatFixtures.copy(Build.FIRST_SYNC, "device-a.db", dir);
        try (ShuttleDatabase db = ShuttleDatabase.sqlite(f)) {
            Capture.enable(db);
            assertThat(EngineTables.meta(db, "format")).isEqualTo(String.valueOf(EngineFormat.CURRENT));
            assertThat(EngineTables.shape(db)).isEqualTo(freshShape());
        }
    }

    @Test
    void aFreshDatabaseIsWrittenInTheCurrentFormat() {
        Path f = dir.resolve("fresh.db");
        SqliteFiles.exec(f, "CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)");
        try (ShuttleDatabase db = ShuttleDatabase.sqlite(f)) {
            Capture.enable(db);
            assertThat(EngineTables.meta(db, "format")).isEqualTo(String.valueOf(EngineFormat.CURRENT));
        }
    }

    @Test
    void anUpToDateDatabaseIsCheckedWithOneLookupAndNotUpgradedAgain() throws Exception {
        Path f = FormatFixtures.copy(Build.FIRST_SYNC, "device-a.db", dir);
        try (ShuttleDatabase db = ShuttleDatabase.sqlite(f)) {
            SyncEngine.open(db);
            Dialect dialect = Dialects.of(db);
            List<String> calls = new ArrayList<>();
            int format = db.read(c -> EngineFormat.read(counting(c, calls), dialect));
            assertThat(format).isEqualTo(EngineFormat.CURRENT);
            assertThat(calls).containsExactly("prepareStatement");

            db.execute("DROP TRIGGER \"_shuttle_t1_ins\"");
            SyncEngine.open(db);
            assertThat(EngineTables.captureCode(db))
                    .as("nothing was installed again")
                    .noneMatch(line -> line.contains("_shuttle_t1_ins"));
        }
    }

    @Test
    void twoProcessesOpeningTheSameDatabaseAtOnceUpgradeItOnce() throws Exception {
        Path f = FormatFixtures.copy(Build.FIRST_SYNC, "sqlite-hub.db", dir);
        upgradeAtOnce(ShuttleDatabase.sqlite(f), ShuttleDatabase.sqlite(f));
        try (ShuttleDatabase db = ShuttleDatabase.sqlite(f)) {
            assertThat(EngineTables.meta(db, "format")).isEqualTo(String.valueOf(EngineFormat.CURRENT));
            assertThat(EngineTables.shape(db)).isEqualTo(freshShape());
        }
    }

    /** Opens an engine on each handle at the same moment, on threads of their own; both must succeed. */
    static void upgradeAtOnce(ShuttleDatabase first, ShuttleDatabase second) throws Exception {
        try (first;
                second;
                ExecutorService pool = Executors.newFixedThreadPool(2)) {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<SyncEngine>> opened = new ArrayList<>();
            for (ShuttleDatabase db : List.of(first, second)) {
                opened.add(pool.submit(() -> {
                    go.await();
                    return SyncEngine.open(db);
                }));
            }
            go.countDown();
            for (Future<SyncEngine> f : opened) {
                assertThat(f.get(60, TimeUnit.SECONDS).nodeUuid()).isNotBlank();
            }
        }
    }

    @Test
    void aNewerFormatIsRefusedNamingBothFormatsAndNothingChanges() {
        Path f = FormatFixtures.copy(Build.LAST_UNNUMBERED, "device-a.db", dir);
        int newer = EngineFormat.CURRENT + 1;
        SqliteFiles.exec(f, "UPDATE _shuttle_meta SET value = '" + newer + "' WHERE key = 'format'");
        List<Map<String, Object>> before = everything(f);
        try (ShuttleDatabase db = ShuttleDatabase.sqlite(f)) {
            for (Runnable open : List.<Runnable>of(() -> SyncEngine.open(db), () -> Capture.enable(db))) {
                assertThatThrownBy(open::run)
                        .isInstanceOfSatisfying(
                                ShuttleException.class,
                                e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_FORMAT))
                        .hasMessageContaining("in format " + newer + ", written by a newer release")
                        .hasMessageContaining("this build knows formats up to " + EngineFormat.CURRENT);
            }
        }
        assertThat(everything(f)).isEqualTo(before);
    }

    @Test
    void aStepThatFailsLeavesTheDatabaseAsItWas() {
        Path f = FormatFixtures.copy(Build.FIRST_SYNC, "device-a.db", dir);
        List<Map<String, Object>> before = everything(f);
        try (ShuttleDatabase db = ShuttleDatabase.sqlite(f)) {
            Dialect dialect = Dialects.of(db);
            List<FormatStep> steps = new ArrayList<>(dialect.capture().formatSteps());
            steps.add(new Failing());
            assertThatThrownBy(() -> db.transaction(c -> FormatUpgrade.upgrade(c, dialect, steps, "test")))
                    .hasMessageContaining("a step that fails");
        }
        assertThat(everything(f)).as("tables, triggers and rows").isEqualTo(before);
        try (ShuttleDatabase db = ShuttleDatabase.sqlite(f)) {
            SyncEngine.open(db);
            assertThat(EngineTables.meta(db, "format")).isEqualTo(String.valueOf(EngineFormat.CURRENT));
        }
    }

    @Test
    void aDatabaseFromBeforeItsTablesCouldSyncIsRefusedNamingWhatItLacks() {
        Path f = dir.resolve("early.db");
        // the engine tables of the first capture build, before the capture log and the sync engine
        SqliteFiles.exec(
                f,
                "CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)",
                "CREATE TABLE _shuttle_meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID",
                "INSERT INTO _shuttle_meta VALUES ('node_uuid', '0b5f4a52-6a3f-4d0e-9a51-0d9e8f1c2b3a'), ('format', '1')",
                "CREATE TABLE _shuttle_nodes (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE)",
                "CREATE TABLE _shuttle_tables (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, policy TEXT NOT NULL,"
                        + " scope_column TEXT, excluded TEXT NOT NULL DEFAULT '')",
                "CREATE TABLE _shuttle_clock (id INTEGER PRIMARY KEY CHECK (id = 0), hlc INTEGER NOT NULL,"
                        + " seq INTEGER NOT NULL, applying INTEGER NOT NULL)",
                "CREATE TABLE _shuttle_feed (tbl INTEGER NOT NULL, pk BLOB NOT NULL, seq INTEGER NOT NULL,"
                        + " op INTEGER NOT NULL, hlc INTEGER NOT NULL, origin INTEGER NOT NULL, version INTEGER NOT NULL,"
                        + " base INTEGER NOT NULL, scope BLOB, PRIMARY KEY (tbl, pk)) WITHOUT ROWID",
                "CREATE TABLE _shuttle_colclock (tbl INTEGER NOT NULL, pk BLOB NOT NULL, col TEXT NOT NULL,"
                        + " hlc INTEGER NOT NULL, origin INTEGER NOT NULL, PRIMARY KEY (tbl, pk, col)) WITHOUT ROWID");
        List<Map<String, Object>> before = everything(f);
        try (ShuttleDatabase db = ShuttleDatabase.sqlite(f)) {
            assertThatThrownBy(() -> SyncEngine.open(db))
                    .isInstanceOfSatisfying(
                            ShuttleException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_FORMAT))
                    .hasMessageContaining("written by a development build from before they could sync")
                    .hasMessageContaining(
                            "without _shuttle_log, _shuttle_peers, _shuttle_conflicts, _shuttle_pending, _shuttle_feed.via");
        }
        assertThat(everything(f)).isEqualTo(before);
    }

    @Test
    void aFormatThatIsNotANumberIsRefused() {
        Path f = FormatFixtures.copy(Build.LAST_UNNUMBERED, "device-b.db", dir);
        SqliteFiles.exec(f, "UPDATE _shuttle_meta SET value = 'two' WHERE key = 'format'");
        try (ShuttleDatabase db = ShuttleDatabase.sqlite(f)) {
            assertThatThrownBy(() -> SyncEngine.open(db))
                    .isInstanceOf(ShuttleException.class)
                    .hasMessageContaining("'two'")
                    .hasMessageContaining("not a format number");
        }
    }

    @Test
    void aDatabaseWithoutSyncIsLeftToSayItIsNotInitialized() {
        Path f = dir.resolve("plain.db");
        SqliteFiles.exec(f, "CREATE TABLE note (id INTEGER PRIMARY KEY)");
        try (ShuttleDatabase db = ShuttleDatabase.sqlite(f)) {
            assertThatThrownBy(() -> SyncEngine.open(db))
                    .isInstanceOfSatisfying(
                            ShuttleException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_INITIALIZED));
        }
        assertThat(SqliteFiles.count(f, "SELECT count(*) FROM sqlite_schema WHERE name LIKE '\\_shuttle%' ESCAPE '\\'"))
                .isZero();
    }

    /** A step after all the real ones that fails once they have changed the database. */
    static final class Failing implements FormatStep {
        @Override
        public int version() {
            return EngineFormat.CURRENT;
        }

        @Override
        public String description() {
            return "a step that fails";
        }

        @Override
        public boolean apply(Connection c, Dialect dialect) throws SQLException {
            throw new SQLException("a step that fails");
        }
    }

    /** The shape of the engine tables of a database where sync was just enabled by this build. */
    private List<String> freshShape() {
        Path f = dir.resolve("reference-" + System.nanoTime() + ".db");
        SqliteFiles.exec(f, "CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)");
        try (ShuttleDatabase db = ShuttleDatabase.sqlite(f)) {
            Capture.enable(db);
            return EngineTables.shape(db);
        }
    }

    private static String hubOf(ShuttleDatabase db) {
        return EngineTables.meta(db, "hub_node");
    }

    /** Every object of the schema with its SQL, and every row of every table. */
    private static List<Map<String, Object>> everything(Path f) {
        List<Map<String, Object>> out =
                new ArrayList<>(SqliteFiles.query(f, "SELECT type, name, sql FROM sqlite_schema ORDER BY type, name"));
        for (Map<String, Object> t : SqliteFiles.query(f, "SELECT name FROM sqlite_schema WHERE type = 'table'")) {
            out.add(Map.of("table", t.get("name")));
            SqliteFiles.query(f, "SELECT * FROM \"" + t.get("name") + "\"").stream()
                    .sorted(Comparator.comparing(Object::toString))
                    .forEach(out::add);
        }
        return out;
    }

    /** A connection that notes the name of every method called on it, then calls the real one. */
    private static Connection counting(Connection real, List<String> calls) {
        return (Connection) Proxy.newProxyInstance(
                Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    calls.add(method.getName());
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
