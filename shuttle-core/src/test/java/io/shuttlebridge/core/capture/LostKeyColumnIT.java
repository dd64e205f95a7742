package io.shuttlebridge.core.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.MariaDb;
import io.shuttlebridge.core.Postgres;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.internal.Jdbc;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A key column of a captured PostgreSQL or MariaDB table dropped or renamed with plain SQL: the capture
 * trigger can no longer say which row a write changed, so the application's writes to the table are
 * refused with a message that names the table, the column and what to do (rather than the database's
 * own {@code record "new" has no field "id"} or {@code Unknown column 'id' in 'NEW'}), and nothing of them
 * is kept; {@code shuttle schema check} names the key change, and accepting it takes the table again under
 * its new key, or is refused while the table has no primary key. The same for a column of a composite
 * key, and for the scope column. SQLite refuses to drop a key column, and renames a column in its triggers
 * itself, so there the writes go on.
 */
class LostKeyColumnIT {
    @ParameterizedTest(name = "{0}: {1} under {2}")
    @CsvSource({
        "postgresql, DROP COLUMN id, LWW",
        "postgresql, DROP COLUMN id, FIELD_LWW",
        "postgresql, RENAME COLUMN id TO item_id, LWW",
        "postgresql, RENAME COLUMN id TO item_id, FIELD_LWW",
        "mariadb, DROP COLUMN id, LWW",
        "mariadb, DROP COLUMN id, FIELD_LWW",
        "mariadb, RENAME COLUMN id TO item_id, LWW",
        "mariadb, RENAME COLUMN id TO item_id, FIELD_LWW"
    })
    void theApplicationsWritesAreRefusedNamingTheLostKeyColumnAndWhatToDo(
            String database, String change, ConflictPolicy policy) {
        try (ShuttleDatabase db = ShuttleDatabase.open(url(database))) {
            captured(db, policy);
            db.execute("ALTER TABLE item " + change);
            boolean dropped = change.startsWith("DROP");
            String q = database.equals("mariadb") ? "`" : "\"";
            long before = logged(db);
            for (String write : new String[] {
                dropped
                        ? "INSERT INTO item (name, note) VALUES ('two', 'n')"
                        : "INSERT INTO item (item_id, name, note) VALUES (2, 'two', 'n')",
                "UPDATE item SET name = 'uno'",
                "DELETE FROM item"
            }) {
                assertThatThrownBy(() -> db.execute(write))
                        .as(write)
                        .hasMessageContaining("table " + q + "item" + q + " lost its key column " + q + "id" + q
                                + " (dropped or renamed) since it was captured: the write is refused so that no"
                                + " change goes uncaptured")
                        .hasMessageContaining("Undo it (rename the column back, or add it back as the primary key)")
                        .hasMessageContaining("'shuttle schema check --db DB' names the change")
                        .hasMessageContaining("'shuttle schema apply --db DB --accept-destructive item'");
            }
            assertThat(logged(db) - before).as("nothing captured").isZero();
            assertThat(db.<String>read(
                            c -> Jdbc.queryString(c, "SELECT name FROM item").orElseThrow()))
                    .as("nothing written")
                    .isEqualTo("one");

            SchemaChanges check = Capture.checkSchema(db);
            assertThat(check.isSafe()).isFalse();
            assertThat(check.items())
                    .singleElement()
                    .satisfies(i -> assertThat(i.message())
                            .startsWith("column \"item\".\"id\" of the primary key was "
                                    + (dropped
                                            ? "dropped or renamed, and the table has no primary key now"
                                            : "renamed to \"item_id\": devices still name rows by \"id\""))
                            .contains("the application's writes to the table are refused until this is resolved")
                            .contains("'shuttle schema apply --db DB --accept-destructive item'"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mariadb"})
    void undoingTheRenameLetsTheWritesThroughAgain(String database) {
        try (ShuttleDatabase db = ShuttleDatabase.open(url(database))) {
            captured(db, ConflictPolicy.LWW);
            db.execute("ALTER TABLE item RENAME COLUMN id TO item_id");
            assertThatThrownBy(() -> db.execute("UPDATE item SET name = 'uno'")).hasMessageContaining("lost its key");

            db.execute("ALTER TABLE item RENAME COLUMN item_id TO id");
            long before = logged(db);
            db.execute("UPDATE item SET name = 'uno' WHERE id = 1");
            db.execute("INSERT INTO item (id, name) VALUES (2, 'two')");
            db.execute("DELETE FROM item WHERE id = 2");
            assertThat(logged(db) - before).as("each write captured").isEqualTo(3);
            assertThat(Capture.checkSchema(db).isSafe()).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mariadb"})
    void acceptingARenamedKeyTakesTheTableAgainUnderItsNewKey(String database) {
        try (ShuttleDatabase db = ShuttleDatabase.open(url(database))) {
            captured(db, ConflictPolicy.FIELD_LWW);
            db.execute("ALTER TABLE item RENAME COLUMN id TO item_id");

            Capture.acceptSchema(db, "item");

            assertThat(Capture.checkSchema(db).isSafe()).isTrue();
            long before = logged(db);
            db.execute("UPDATE item SET name = 'uno' WHERE item_id = 1");
            db.execute("INSERT INTO item (item_id, name) VALUES (2, 'two')");
            db.execute("DELETE FROM item WHERE item_id = 2");
            assertThat(logged(db) - before).as("each write captured").isEqualTo(3);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mariadb"})
    void acceptingADroppedKeyIsRefusedUntilTheTableHasAPrimaryKeyAgain(String database) {
        try (ShuttleDatabase db = ShuttleDatabase.open(url(database))) {
            captured(db, ConflictPolicy.LWW);
            db.execute("ALTER TABLE item DROP COLUMN id");

            assertThatThrownBy(() -> Capture.acceptSchema(db, "item"))
                    .isInstanceOf(ShuttleException.class)
                    .hasMessageContaining("table \"item\" has no primary key now (it was captured with [id]): it"
                            + " cannot sync without one")
                    .hasMessageContaining("Give it a primary key");
            assertThat(Capture.checkSchema(db).isSafe()).as("nothing taken").isFalse();

            // a new key filled in the same statement: the capture trigger refuses writes until it is accepted
            db.execute(
                    database.equals("mariadb")
                            ? "ALTER TABLE item ADD COLUMN uid BIGINT AUTO_INCREMENT PRIMARY KEY"
                            : "ALTER TABLE item ADD COLUMN uid BIGSERIAL PRIMARY KEY");
            Capture.acceptSchema(db, "item");

            assertThat(Capture.checkSchema(db).isSafe()).isTrue();
            long before = logged(db);
            db.execute("UPDATE item SET name = 'uno' WHERE uid = 1");
            db.execute("INSERT INTO item (name) VALUES ('two')");
            assertThat(logged(db) - before).as("each write captured").isEqualTo(2);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mariadb"})
    void aColumnOfACompositeKeyOrTheScopeColumnLostIsNamed(String database) {
        try (ShuttleDatabase db = ShuttleDatabase.open(url(database))) {
            String q = database.equals("mariadb") ? "`" : "\"";
            db.execute("CREATE TABLE line (a BIGINT NOT NULL, b BIGINT NOT NULL, org VARCHAR(20), qty INTEGER,"
                    + " PRIMARY KEY (a, b))");
            db.execute("INSERT INTO line VALUES (1, 1, 'x', 5)");
            Capture.enable(
                    db, CaptureOptions.builder().scopeColumn("line", "org").build(), ProgressListener.NONE);

            db.execute("ALTER TABLE line RENAME COLUMN b TO bb");
            assertThatThrownBy(() -> db.execute("UPDATE line SET qty = 6"))
                    .hasMessageContaining("table " + q + "line" + q + " lost its key column " + q + "b" + q);
            db.execute("ALTER TABLE line RENAME COLUMN bb TO b");

            db.execute("ALTER TABLE line RENAME COLUMN org TO tenant");
            assertThatThrownBy(() -> db.execute("INSERT INTO line VALUES (1, 2, 'x', 5)"))
                    .hasMessageContaining("table " + q + "line" + q + " lost its scope column " + q + "org" + q)
                    .hasMessageContaining("Undo it (rename the column back, or add it back)");
            assertThat(Capture.checkSchema(db).refused())
                    .singleElement()
                    .asString()
                    .contains("column \"line\".\"org\" (the table's scope column) was renamed to \"tenant\"");
            assertThatThrownBy(() -> Capture.acceptSchema(db, "line"))
                    .hasMessageContaining("table \"line\" lost its scope column \"org\"");

            db.execute("ALTER TABLE line RENAME COLUMN tenant TO org");
            long before = logged(db);
            db.execute("INSERT INTO line VALUES (1, 2, 'x', 5)");
            db.execute("UPDATE line SET qty = 6");
            db.execute("DELETE FROM line WHERE b = 2");
            assertThat(logged(db) - before).as("each write captured").isEqualTo(4);
        }
    }

    @org.junit.jupiter.api.Test
    void sqliteRefusesToDropAKeyColumnAndRenamesItInItsTriggers(@org.junit.jupiter.api.io.TempDir Path dir) {
        try (ShuttleDatabase db = ShuttleDatabase.sqlite(dir.resolve("hub.db"))) {
            captured(db, ConflictPolicy.LWW);
            assertThatThrownBy(() -> db.execute("ALTER TABLE item DROP COLUMN id"))
                    .hasMessageContaining("cannot drop PRIMARY KEY column");

            db.execute("ALTER TABLE item RENAME COLUMN id TO item_id");
            long before = logged(db);
            db.execute("UPDATE item SET name = 'uno' WHERE item_id = 1");
            db.execute("INSERT INTO item (item_id, name) VALUES (2, 'two')");
            db.execute("DELETE FROM item WHERE item_id = 2");
            assertThat(logged(db) - before).as("each write captured").isEqualTo(3);
            assertThat(Capture.checkSchema(db).refused())
                    .singleElement()
                    .asString()
                    .startsWith("column \"item\".\"id\" of the primary key was renamed to \"item_id\": devices"
                            + " still name rows by \"id\". Rename it back, or accept it");
        }
    }

    private static String url(String database) {
        return database.equals("mariadb") ? MariaDb.freshDatabase() : Postgres.freshDatabase();
    }

    private static void captured(ShuttleDatabase db, ConflictPolicy policy) {
        db.execute("CREATE TABLE item (id BIGINT PRIMARY KEY, name VARCHAR(40), note VARCHAR(40))");
        db.execute("INSERT INTO item VALUES (1, 'one', 'n')");
        Capture.enable(db, CaptureOptions.builder().policy(policy).build(), ProgressListener.NONE);
    }

    private static long logged(ShuttleDatabase db) {
        return db.read(
                c -> Jdbc.queryLong(c, "SELECT count(*) FROM _shuttle_log").orElse(0L));
    }
}
