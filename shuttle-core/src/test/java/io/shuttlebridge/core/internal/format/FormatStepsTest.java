package io.shuttlebridge.core.internal.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.FormatFixtures;
import io.shuttlebridge.core.FormatFixtures.Build;
import io.shuttlebridge.core.Postgres;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.internal.dialect.FormatStep;
import io.shuttlebridge.core.internal.dialect.RetiredPeersInMeta;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each product's format steps: in order up to the current format, and each one changes a database
 * of the format before it and leaves one that has its change as it is.
 */
class FormatStepsTest {
    @TempDir
    Path dir;

    @Test
    void eachProductsStepsRunInOrderUpToTheCurrentFormat() {
        String pg = Postgres.freshDatabase();
        for (ShuttleDatabase db : List.of(ShuttleDatabase.sqlite(dir.resolve("x.db")), ShuttleDatabase.open(pg))) {
            try (db) {
                List<Integer> versions = Dialects.of(db).capture().formatSteps().stream()
                        .map(FormatStep::version)
                        .toList();
                assertThat(versions).as(db.product()).isSorted().allMatch(v -> v > EngineFormat.UNNUMBERED);
                assertThat(versions.getLast()).as(db.product()).isEqualTo(EngineFormat.CURRENT);
            }
        }
    }

    @Test
    void everySqliteStepChangesAnEarlierDatabaseOnceAndThenNothing() {
        for (Build build : List.of(Build.FIRST_SYNC, Build.RETIRED_TABLE)) {
            Path f = FormatFixtures.copy(build, "sqlite-hub.db", dir);
            try (ShuttleDatabase db = ShuttleDatabase.sqlite(f)) {
                List<String> changed = runEachTwice(db, build);
                assertThat(changed)
                        .as(build.toString())
                        .isEqualTo(
                                build == Build.FIRST_SYNC
                                        ? List.of(
                                                "add _shuttle_applying",
                                                "add _shuttle_refused",
                                                "add _shuttle_restamps",
                                                "index the column stamps waiting for the fold")
                                        : List.of(
                                                "retired devices move from _shuttle_retired to _shuttle_meta",
                                                "index the column stamps waiting for the fold"));
            }
        }
    }

    @Test
    void everyPostgresStepChangesAnEarlierDatabaseOnceAndThenNothing() {
        String url = FormatFixtures.restorePostgresHub(Build.FIRST_SYNC);
        try (ShuttleDatabase db = ShuttleDatabase.open(url)) {
            assertThat(runEachTwice(db, Build.FIRST_SYNC))
                    .containsExactly(
                            "add _shuttle_refused",
                            "_shuttle_feed keys compare bytewise (COLLATE \"C\")",
                            "add _shuttle_restamps",
                            "index the column stamps waiting for the fold");
        }
    }

    @Test
    void thePostgresFeedIsRebuiltForBytewiseKeysOnlyWhereItIsNotYet() {
        String url = FormatFixtures.restorePostgresHub(Build.FIRST_SYNC);
        try (ShuttleDatabase db = ShuttleDatabase.open(url)) {
            FormatStep step = Dialects.of(db).capture().formatSteps().stream()
                    .filter(s -> s.version() == 3)
                    .findFirst()
                    .orElseThrow();
            long before = feedKeyIndex(db);
            apply(db, step);
            long rebuilt = feedKeyIndex(db);
            apply(db, step);
            assertThat(rebuilt).as("the first run rebuilds the feed's key").isNotEqualTo(before);
            assertThat(feedKeyIndex(db)).as("the second leaves it").isEqualTo(rebuilt);
            assertThat(Postgres.count(url, "SELECT count(*) FROM _shuttle_feed WHERE pk = '[\"1\", \"urgent\"]'"))
                    .isOne();
        }
    }

    @Test
    void retiredDevicesAlreadyInTheMetadataKeepTheirTime() {
        Path f = FormatFixtures.copy(Build.RETIRED_TABLE, "sqlite-hub.db", dir);
        try (ShuttleDatabase db = ShuttleDatabase.sqlite(f)) {
            String peer = db.read(c -> Jdbc.queryString(c, "SELECT peer FROM _shuttle_retired"))
                    .orElseThrow();
            db.execute("INSERT INTO _shuttle_meta (key, value) VALUES (?, '42')", "retired:" + peer);
            apply(db, new RetiredPeersInMeta());
            assertThat(EngineTables.meta(db, "retired:" + peer)).isEqualTo("42");
        }
    }

    /**
     * Applies each step twice, each time in a transaction of its own: the second time changes nothing.
     * Returns the steps that changed the engine tables' shape the first time.
     */
    private static List<String> runEachTwice(ShuttleDatabase db, Build build) {
        List<String> changed = new ArrayList<>();
        for (FormatStep step : Dialects.of(db).capture().formatSteps()) {
            List<String> before = EngineTables.shape(db);
            boolean first = apply(db, step);
            List<String> once = EngineTables.shape(db);
            assertThat(apply(db, step))
                    .as("%s on %s %s, run again, says it changed something", step.description(), build, db.product())
                    .isFalse();
            assertThat(first)
                    .as("%s on %s %s says whether it changed something", step.description(), build, db.product())
                    .isEqualTo(!once.equals(before));
            assertThat(EngineTables.shape(db))
                    .as("%s on %s %s, run again", step.description(), build, db.product())
                    .isEqualTo(once);
            if (!once.equals(before)) {
                changed.add(step.description());
            }
        }
        return changed;
    }

    private static boolean apply(ShuttleDatabase db, FormatStep step) {
        Dialect dialect = Dialects.of(db);
        return db.transaction(c -> step.apply(c, dialect));
    }

    /** The file of the feed's primary key index: a new one whenever the index is rebuilt. */
    private static long feedKeyIndex(ShuttleDatabase db) {
        return db.read(c -> Jdbc.queryLong(c, "SELECT pg_relation_filenode('_shuttle_feed_pkey')"))
                .orElseThrow();
    }
}
