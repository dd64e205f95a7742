package io.shuttlebridge.core.internal.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.FormatFixtures;
import io.shuttlebridge.core.FormatFixtures.Build;
import io.shuttlebridge.core.Postgres;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.internal.dialect.FormatStep;
import io.shuttlebridge.core.sync.SyncEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A PostgreSQL hub an earlier build wrote, restored from its dump, is upgraded when the engine opens it. */
class PostgresFormatUpgradeTest {
    private static final String USER_ROWS = "SELECT 'project' AS t, id, name AS v, NULL::int AS done FROM project"
            + " UNION ALL SELECT 'task', id, title, done FROM task"
            + " UNION ALL SELECT 'tag', project_id, label, NULL FROM tag ORDER BY 1, 2, 3";
    private static final String FEED_KEY_COLLATION = "SELECT coalesce(collation_name, 'default')"
            + " FROM information_schema.columns WHERE table_schema = current_schema()"
            + " AND table_name = '_shuttle_feed' AND column_name = 'pk'";

    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = Build.class,
            names = {"FIRST_SYNC", "LAST_UNNUMBERED"})
    void anEarlierFormatIsUpgradedToTheShapeOfAFreshDatabase(Build build) {
        String url = FormatFixtures.restorePostgresHub(build);
        List<Map<String, Object>> rows = Postgres.query(url, USER_ROWS);
        try (ShuttleDatabase db = ShuttleDatabase.open(url)) {
            assertThat(EngineTables.meta(db, "format")).isEqualTo("1");

            SyncEngine.open(db);

            assertThat(EngineTables.meta(db, "format")).isEqualTo(String.valueOf(EngineFormat.CURRENT));
            assertThat(EngineTables.shape(db)).isEqualTo(freshShape());
            assertThat(Postgres.query(url, FEED_KEY_COLLATION).get(0).values()).containsExactly("C");
            List<String> code = EngineTables.captureCode(db);
            Capture.enable(db);
            assertThat(EngineTables.captureCode(db))
                    .as("the fold and the capture triggers are this build's")
                    .isEqualTo(code);
        }
        assertThat(Postgres.query(url, USER_ROWS)).isEqualTo(rows);
    }

    @Test
    void twoHubProcessesOpeningTheSameDatabaseAtOnceUpgradeItOnce() throws Exception {
        String url = FormatFixtures.restorePostgresHub(Build.FIRST_SYNC);
        FormatUpgradeTest.upgradeAtOnce(ShuttleDatabase.open(url), ShuttleDatabase.open(url));
        try (ShuttleDatabase db = ShuttleDatabase.open(url)) {
            assertThat(EngineTables.meta(db, "format")).isEqualTo(String.valueOf(EngineFormat.CURRENT));
            assertThat(EngineTables.shape(db)).isEqualTo(freshShape());
        }
    }

    @Test
    void aStepThatFailsLeavesTheHubAsItWas() {
        String url = FormatFixtures.restorePostgresHub(Build.FIRST_SYNC);
        try (ShuttleDatabase db = ShuttleDatabase.open(url)) {
            List<String> shape = EngineTables.shape(db);
            List<String> code = EngineTables.captureCode(db);
            List<Map<String, Object>> meta = Postgres.query(url, "SELECT * FROM _shuttle_meta ORDER BY key");
            Dialect dialect = Dialects.of(db);
            List<FormatStep> steps = new ArrayList<>(dialect.capture().formatSteps());
            steps.add(new FormatUpgradeTest.Failing());

            assertThatThrownBy(() -> db.transaction(c -> FormatUpgrade.upgrade(c, dialect, steps, "test")))
                    .hasMessageContaining("a step that fails");

            assertThat(EngineTables.shape(db)).isEqualTo(shape);
            assertThat(EngineTables.captureCode(db)).isEqualTo(code);
            assertThat(Postgres.query(url, "SELECT * FROM _shuttle_meta ORDER BY key"))
                    .isEqualTo(meta);
            assertThat(Postgres.query(url, FEED_KEY_COLLATION).get(0).values()).containsExactly("default");
        }
    }

    @Test
    void aNewerFormatIsRefusedNamingBothFormats() {
        String url = FormatFixtures.restorePostgresHub(Build.LAST_UNNUMBERED);
        Postgres.exec(
                url, "UPDATE _shuttle_meta SET value = '" + (EngineFormat.CURRENT + 3) + "' WHERE key = 'format'");
        try (ShuttleDatabase db = ShuttleDatabase.open(url)) {
            List<String> shape = EngineTables.shape(db);
            assertThatThrownBy(() -> SyncEngine.open(db))
                    .isInstanceOfSatisfying(
                            ShuttleException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_FORMAT))
                    .hasMessageContaining("in format " + (EngineFormat.CURRENT + 3))
                    .hasMessageContaining("this build knows formats up to " + EngineFormat.CURRENT);
            assertThat(EngineTables.shape(db)).isEqualTo(shape);
        }
    }

    private static List<String> freshShape() {
        String url = Postgres.freshDatabase();
        Postgres.exec(url, "CREATE TABLE note (id bigint PRIMARY KEY, body text)");
        try (ShuttleDatabase db = ShuttleDatabase.open(url)) {
            Capture.enable(db);
            return EngineTables.shape(db);
        }
    }
}
