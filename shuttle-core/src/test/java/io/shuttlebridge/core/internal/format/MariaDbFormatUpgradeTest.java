package io.shuttlebridge.core.internal.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.MariaDb;
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

/**
 * The engine-table format on a MariaDB hub, as {@code PostgresFormatUpgradeTest} checks it on PostgreSQL. No
 * release before this format wrote MariaDB hubs, so the earlier hub is made here: a hub of this build taken back
 * to the previous format, its capture triggers gone as an upgrade would replace them. Opening it brings it to the
 * shape of a fresh hub with this build's triggers, once even when two hub processes open it at once; a failing
 * step leaves the format as it was (MariaDB commits DDL as it goes, so it is the format, written last, that
 * says an upgrade is still to do), and a newer format is refused naming both.
 */
class MariaDbFormatUpgradeTest {
    private static final String USER_ROWS = "SELECT id, body FROM note ORDER BY id";
    private static final int EARLIER = EngineFormat.CURRENT - 1;

    @Test
    void anEarlierFormatIsUpgradedToTheShapeOfAFreshHub() {
        String url = hub();
        List<String> shape;
        List<String> code;
        try (ShuttleDatabase db = ShuttleDatabase.open(url)) {
            shape = EngineTables.shape(db);
            code = EngineTables.captureCode(db);
        }
        assertThat(code).as("three triggers of note").hasSize(3);
        takeBack(url);
        List<Map<String, Object>> rows = MariaDb.query(url, USER_ROWS);
        try (ShuttleDatabase db = ShuttleDatabase.open(url)) {
            assertThat(EngineTables.meta(db, "format")).isEqualTo(String.valueOf(EARLIER));
            assertThat(EngineTables.captureCode(db)).isEmpty();

            SyncEngine.open(db);

            assertThat(EngineTables.meta(db, "format")).isEqualTo(String.valueOf(EngineFormat.CURRENT));
            assertThat(EngineTables.shape(db)).isEqualTo(shape);
            assertThat(EngineTables.captureCode(db))
                    .as("the capture triggers are this build's again")
                    .isEqualTo(code);
        }
        assertThat(MariaDb.query(url, USER_ROWS)).isEqualTo(rows);
        MariaDb.exec(url, "INSERT INTO note VALUES (3, 'after the upgrade')");
        assertThat(MariaDb.count(url, "SELECT count(*) FROM _shuttle_log"))
                .as("a write of the mariadb client is captured")
                .isEqualTo(1);
    }

    @Test
    void twoHubProcessesOpeningTheSameDatabaseAtOnceUpgradeIt() throws Exception {
        String url = hub();
        List<String> code;
        try (ShuttleDatabase db = ShuttleDatabase.open(url)) {
            code = EngineTables.captureCode(db);
        }
        takeBack(url);
        FormatUpgradeTest.upgradeAtOnce(ShuttleDatabase.open(url), ShuttleDatabase.open(url));
        try (ShuttleDatabase db = ShuttleDatabase.open(url)) {
            assertThat(EngineTables.meta(db, "format")).isEqualTo(String.valueOf(EngineFormat.CURRENT));
            assertThat(EngineTables.captureCode(db)).isEqualTo(code);
        }
    }

    @Test
    void aStepThatFailsLeavesTheFormatAsItWasAndTheNextOpenUpgrades() {
        String url = hub();
        takeBack(url);
        try (ShuttleDatabase db = ShuttleDatabase.open(url)) {
            List<String> shape = EngineTables.shape(db);
            List<Map<String, Object>> meta = MariaDb.query(url, "SELECT * FROM _shuttle_meta ORDER BY `key`");
            Dialect dialect = Dialects.of(db);
            List<FormatStep> steps = new ArrayList<>(dialect.capture().formatSteps());
            steps.add(new FormatUpgradeTest.Failing());

            assertThatThrownBy(() -> db.transaction(c -> FormatUpgrade.upgrade(c, dialect, steps, "test")))
                    .hasMessageContaining("a step that fails");

            assertThat(EngineTables.shape(db)).isEqualTo(shape);
            assertThat(EngineTables.captureCode(db)).isEmpty();
            assertThat(MariaDb.query(url, "SELECT * FROM _shuttle_meta ORDER BY `key`"))
                    .isEqualTo(meta);

            SyncEngine.open(db);
            assertThat(EngineTables.meta(db, "format")).isEqualTo(String.valueOf(EngineFormat.CURRENT));
            assertThat(EngineTables.captureCode(db)).hasSize(3);
        }
    }

    @Test
    void aNewerFormatIsRefusedNamingBothFormats() {
        String url = hub();
        MariaDb.exec(
                url, "UPDATE _shuttle_meta SET value = '" + (EngineFormat.CURRENT + 3) + "' WHERE `key` = 'format'");
        try (ShuttleDatabase db = ShuttleDatabase.open(url)) {
            List<String> shape = EngineTables.shape(db);
            List<String> code = EngineTables.captureCode(db);
            assertThatThrownBy(() -> SyncEngine.open(db))
                    .isInstanceOfSatisfying(
                            ShuttleException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_FORMAT))
                    .hasMessageContaining("in format " + (EngineFormat.CURRENT + 3))
                    .hasMessageContaining("this build knows formats up to " + EngineFormat.CURRENT);
            assertThat(EngineTables.shape(db)).isEqualTo(shape);
            assertThat(EngineTables.captureCode(db)).isEqualTo(code);
        }
    }

    /** A MariaDB hub of this build with a captured {@code note} table of two rows. */
    private static String hub() {
        String url = MariaDb.freshDatabase();
        MariaDb.exec(
                url,
                "CREATE TABLE note (id BIGINT PRIMARY KEY, body TEXT)",
                "INSERT INTO note VALUES (1, 'one'), (2, 'two')");
        try (ShuttleDatabase db = ShuttleDatabase.open(url)) {
            Capture.enable(db);
        }
        return url;
    }

    /** The hub as the previous format left it: that format's number, and no capture triggers of this build. */
    private static void takeBack(String url) {
        for (Map<String, Object> t : MariaDb.query(
                url,
                "SELECT trigger_name AS name FROM information_schema.triggers WHERE trigger_schema = database()"
                        + " AND left(trigger_name, 9) = '_shuttle_'")) {
            MariaDb.exec(url, "DROP TRIGGER `" + t.get("name") + "`");
        }
        MariaDb.exec(url, "UPDATE _shuttle_meta SET value = '" + EARLIER + "' WHERE `key` = 'format'");
    }
}
